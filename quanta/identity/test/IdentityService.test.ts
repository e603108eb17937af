import { SessionRevoked, UserRegistered } from '@quanta/contracts/identity';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../domain/Session';
import { EmailTakenError, InvalidCredentialsError, InvalidRefreshTokenError } from '../errors';
import { buildTestIdentity } from './fakes/buildTestIdentity';
import type { InMemorySessionRepository } from './fakes/InMemorySessionRepository';
import type { InMemoryUserRepository } from './fakes/InMemoryUserRepository';
import { PlainPasswordHasher } from './fakes/PlainPasswordHasher';
import { verifyEs256 } from './fakes/verifyEs256';

const origin = { correlationId: 'corr-1' };
const ada = { email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada' };

function setup() {
  const identity = buildTestIdentity();
  return {
    ...identity,
    users: identity.users as InMemoryUserRepository,
    sessions: identity.sessions as InMemorySessionRepository,
  };
}

describe('IdentityService.signup', () => {
  it('registers a customer and emits UserRegistered through the outbox with the correlation id', async () => {
    // Arrange
    const { service, users } = setup();

    // Act
    const { userId } = await service.signup(ada, origin);

    // Assert
    expect(users.users.get(userId)).toMatchObject({ email: 'ada@example.com', roles: ['customer'] });
    const event = UserRegistered.envelope.parse(users.outbox[0]);
    expect(event.data).toEqual({ userId, email: 'ada@example.com', displayName: 'Ada', roles: ['customer'] });
    expect(event.correlationId).toBe('corr-1');
  });

  it('grants the admin role to a configured admin e-mail', async () => {
    // Arrange
    const { service, users } = setup();

    // Act
    const { userId } = await service.signup({ ...ada, email: 'root@quanta.test' }, origin);

    // Assert
    expect(users.users.get(userId)?.roles).toEqual(['customer', 'admin']);
  });

  it('refuses a second account with the same e-mail', async () => {
    // Arrange
    const { service } = setup();
    await service.signup(ada, origin);

    // Act
    const second = service.signup({ ...ada, displayName: 'Imposter' }, origin);

    // Assert
    await expect(second).rejects.toBeInstanceOf(EmailTakenError);
  });
});

describe('IdentityService.login', () => {
  it('starts a session and returns a verifiable access token and an opaque refresh token', async () => {
    // Arrange
    const { service, sessions, keyRing } = setup();
    const { userId } = await service.signup(ada, origin);

    // Act
    const pair = await service.login({ email: ada.email, password: ada.password });

    // Assert
    const { claims } = verifyEs256(pair.accessToken, await keyRing.publicJwks());
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(claims).toMatchObject({
      sub: userId,
      roles: ['customer'],
      iss: 'https://identity.test',
      aud: 'quanta-api',
    });
    expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.sessions.get(String(claims.sid))?.status).toBe('ACTIVE');
    expect(sessions.tokens.has(pair.refreshToken)).toBe(false);
    expect(sessions.tokens.get(hashToken(pair.refreshToken))?.sessionId).toBe(claims.sid);
  });

  it('answers an unknown e-mail and a wrong password alike, and hashes in both cases', async () => {
    // Arrange
    const hasher = new PlainPasswordHasher();
    const { service } = buildTestIdentity({ hasher });
    await service.signup(ada, origin);

    // Act
    const unknown = await service.login({ email: 'nobody@example.com', password: 'x' }).catch((e) => e);
    const wrong = await service.login({ email: ada.email, password: 'wrong' }).catch((e) => e);

    // Assert
    expect(unknown).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(unknown.message).toBe(wrong.message);
    expect(hasher.verified).toEqual([undefined, `plain:${ada.password}`]);
  });
});

describe('IdentityService.refresh', () => {
  it('rotates: the new pair works and the old refresh token is marked used', async () => {
    // Arrange
    const { service, sessions, clock } = setup();
    await service.signup(ada, origin);
    const first = await service.login({ email: ada.email, password: ada.password });
    clock.advance(60);

    // Act
    const second = await service.refresh(first.refreshToken, origin);

    // Assert
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(sessions.tokens.get(hashToken(first.refreshToken))?.used).toBe(true);
    const third = await service.refresh(second.refreshToken, origin);
    expect(third.accessToken).toBeDefined();
  });

  it('treats a reused refresh token as theft: revokes the session, emits SessionRevoked and answers 401', async () => {
    // Arrange
    const { service, sessions, clock } = setup();
    await service.signup(ada, origin);
    const first = await service.login({ email: ada.email, password: ada.password });
    const second = await service.refresh(first.refreshToken, origin);

    // Act
    const reuse = await service.refresh(first.refreshToken, origin).catch((e) => e);
    const afterRevocation = await service.refresh(second.refreshToken, origin).catch((e) => e);

    // Assert
    expect(reuse).toBeInstanceOf(InvalidRefreshTokenError);
    expect(afterRevocation).toBeInstanceOf(InvalidRefreshTokenError);
    const event = SessionRevoked.envelope.parse(sessions.outbox[0]);
    expect(event.data.reason).toBe('REFRESH_TOKEN_REUSE');
    expect(event.data.tokensValidUntil).toBe(clock.now.getTime() / 1000 + 900);
    expect(sessions.outbox).toHaveLength(1);
  });

  it('refuses an unknown or expired refresh token', async () => {
    // Arrange
    const { service, clock } = setup();
    await service.signup(ada, origin);
    const pair = await service.login({ email: ada.email, password: ada.password });
    clock.advance(3601);

    // Act
    const expired = await service.refresh(pair.refreshToken, origin).catch((e) => e);
    const unknown = await service.refresh('x'.repeat(43), origin).catch((e) => e);

    // Assert
    expect(expired).toBeInstanceOf(InvalidRefreshTokenError);
    expect(unknown).toBeInstanceOf(InvalidRefreshTokenError);
  });
});

describe('IdentityService.logout', () => {
  it('revokes the session once and emits SessionRevoked with tokensValidUntil = now + access TTL', async () => {
    // Arrange
    const { service, sessions, keyRing, clock } = setup();
    const { userId } = await service.signup(ada, origin);
    const pair = await service.login({ email: ada.email, password: ada.password });
    const sessionId = String(verifyEs256(pair.accessToken, await keyRing.publicJwks()).claims.sid);

    // Act
    await service.logout({ userId, sessionId }, origin);
    await service.logout({ userId, sessionId }, origin);

    // Assert
    expect(sessions.sessions.get(sessionId)?.status).toBe('REVOKED');
    expect(sessions.outbox).toHaveLength(1);
    const event = SessionRevoked.envelope.parse(sessions.outbox[0]);
    expect(event.data).toEqual({
      userId,
      sessionId,
      reason: 'LOGOUT',
      tokensValidUntil: clock.now.getTime() / 1000 + 900,
    });
    await expect(service.refresh(pair.refreshToken, origin)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
  });

  it('does not let a caller revoke another user session', async () => {
    // Arrange
    const { service, sessions, keyRing } = setup();
    await service.signup(ada, origin);
    const pair = await service.login({ email: ada.email, password: ada.password });
    const sessionId = String(verifyEs256(pair.accessToken, await keyRing.publicJwks()).claims.sid);

    // Act
    await service.logout({ userId: 'someone-else', sessionId }, origin);

    // Assert
    expect(sessions.sessions.get(sessionId)?.status).toBe('ACTIVE');
    expect(sessions.outbox).toHaveLength(0);
  });
});
