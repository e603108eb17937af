import { SessionRevoked, UserRegistered } from '@quanta/contracts/identity';
import { TooManyRequestsError } from '@quanta/runtime/errors';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../domain/Session';
import {
  EmailTakenError,
  InvalidCredentialsError,
  InvalidCurrentPasswordError,
  InvalidRefreshTokenError,
} from '../errors';
import { buildTestIdentity, testOrigin } from './fakes/buildTestIdentity';
import type { InMemorySessionRepository } from './fakes/InMemorySessionRepository';
import type { InMemoryUserRepository } from './fakes/InMemoryUserRepository';
import { PlainPasswordHasher } from './fakes/PlainPasswordHasher';
import type { RecordingAuditLog } from './fakes/RecordingAuditLog';
import { verifyEs256 } from './fakes/verifyEs256';

const origin = testOrigin;
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
    expect(users.users.get(userId)).toMatchObject({ email: 'ada@example.com' });
    expect(users.grants.get(userId)?.roles).toEqual(['customer']);
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
    expect(users.grants.get(userId)?.roles).toEqual(['customer', 'admin']);
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
    const pair = await service.login({ email: ada.email, password: ada.password }, origin);

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
    const unknown = await service
      .login({ email: 'nobody@example.com', password: 'x' }, origin)
      .catch((e) => e);
    const wrong = await service.login({ email: ada.email, password: 'wrong' }, origin).catch((e) => e);

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
    const first = await service.login({ email: ada.email, password: ada.password }, origin);
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
    const first = await service.login({ email: ada.email, password: ada.password }, origin);
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
    const pair = await service.login({ email: ada.email, password: ada.password }, origin);
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
    const pair = await service.login({ email: ada.email, password: ada.password }, origin);
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
    const pair = await service.login({ email: ada.email, password: ada.password }, origin);
    const sessionId = String(verifyEs256(pair.accessToken, await keyRing.publicJwks()).claims.sid);

    // Act
    await service.logout({ userId: 'someone-else', sessionId }, origin);

    // Assert
    expect(sessions.sessions.get(sessionId)?.status).toBe('ACTIVE');
    expect(sessions.outbox).toHaveLength(0);
  });
});

/** Signs Ada up and logs her in `n` times (n sessions); resolves her id and each session's pair and id. */
async function adaWithSessions(identity: ReturnType<typeof setup>, n: number) {
  const { userId } = await identity.service.signup(ada, origin);
  const sessions = [];
  for (let i = 0; i < n; i++) {
    const pair = await identity.service.login({ email: ada.email, password: ada.password }, origin);
    const sessionId = String(verifyEs256(pair.accessToken, await identity.keyRing.publicJwks()).claims.sid);
    sessions.push({ pair, sessionId });
  }
  return { userId, sessions };
}

describe('IdentityService.logoutAll', () => {
  it('revokes every session of the caller, its own included, with one SessionRevoked each', async () => {
    // Arrange
    const identity = setup();
    const { userId, sessions } = await adaWithSessions(identity, 3);
    const other = await identity.service.signup({ ...ada, email: 'bob@example.com' }, origin);
    await identity.service.login({ email: 'bob@example.com', password: ada.password }, origin);
    const caller = { userId, sessionId: sessions[0]?.sessionId ?? '' };

    // Act
    await identity.service.logoutAll(caller, origin);

    // Assert
    const revoked = identity.sessions.outbox.map((e) => SessionRevoked.envelope.parse(e).data);
    expect(revoked.map((d) => d.sessionId).sort()).toEqual(sessions.map((s) => s.sessionId).sort());
    expect(revoked.every((d) => d.reason === 'LOGOUT_ALL' && d.userId === userId)).toBe(true);
    expect(await identity.sessions.activeSessionIds(other.userId, 0)).toHaveLength(1);
    for (const { pair } of sessions) {
      await expect(identity.service.refresh(pair.refreshToken, origin)).rejects.toBeInstanceOf(
        InvalidRefreshTokenError,
      );
    }
  });
});

describe('IdentityService.changePassword', () => {
  it('replaces the password and revokes the other sessions, keeping the caller’s', async () => {
    // Arrange
    const identity = setup();
    const { userId, sessions } = await adaWithSessions(identity, 3);
    const [mine, ...others] = sessions;
    const caller = { userId, sessionId: mine?.sessionId ?? '' };

    // Act
    await identity.service.changePassword(
      caller,
      { currentPassword: ada.password, newPassword: 'a brand new passphrase' },
      origin,
    );

    // Assert
    const revoked = identity.sessions.outbox.map((e) => SessionRevoked.envelope.parse(e).data);
    expect(revoked.map((d) => d.sessionId).sort()).toEqual(others.map((s) => s.sessionId).sort());
    expect(revoked.every((d) => d.reason === 'PASSWORD_CHANGED')).toBe(true);
    expect(await identity.sessions.activeSessionIds(userId, 0)).toEqual([mine?.sessionId]);
    const old = await identity.service
      .login({ email: ada.email, password: ada.password }, origin)
      .catch((e) => e);
    expect(old).toBeInstanceOf(InvalidCredentialsError);
    await expect(
      identity.service.login({ email: ada.email, password: 'a brand new passphrase' }, origin),
    ).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect((identity.audit as RecordingAuditLog).of('identity.password.changed')).toEqual([
      expect.objectContaining({ userId, sessionId: mine?.sessionId }),
    ]);
  });

  it('refuses a wrong current password with 403, changes nothing and counts it against the account', async () => {
    // Arrange
    const identity = setup();
    const { userId, sessions } = await adaWithSessions(identity, 2);
    const caller = { userId, sessionId: sessions[0]?.sessionId ?? '' };
    const attempt = () =>
      identity.service
        .changePassword(
          caller,
          { currentPassword: 'a wrong guess', newPassword: 'a brand new passphrase' },
          origin,
        )
        .catch((e: unknown) => e);

    // Act
    const first = await attempt();
    for (let i = 0; i < 9; i++) await attempt();
    const locked = await attempt();

    // Assert
    expect(first).toBeInstanceOf(InvalidCurrentPasswordError);
    expect((first as InvalidCurrentPasswordError).status).toBe(403);
    expect(locked).toBeInstanceOf(TooManyRequestsError);
    expect(identity.sessions.outbox).toHaveLength(0);
    expect(identity.users.users.get(userId)?.passwordHash).toBe(`plain:${ada.password}`);
  });
});
