import { TooManyRequestsError } from '@quanta/runtime/errors';
import { describe, expect, it } from 'vitest';
import { sourceNetworkOf } from '../domain/Throttle';
import { InvalidCredentialsError } from '../errors';
import { buildTestIdentity, testOrigin } from './fakes/buildTestIdentity';
import { PlainPasswordHasher } from './fakes/PlainPasswordHasher';
import type { RecordingAuditLog } from './fakes/RecordingAuditLog';

const ada = { email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada' };
const wrong = { email: ada.email, password: 'not the password' };

async function failures(
  login: (r: { email: string; password: string }) => Promise<unknown>,
  credentials: { email: string; password: string },
  times: number,
): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let i = 0; i < times; i++) outcomes.push(await login(credentials).catch((e: unknown) => e));
  return outcomes;
}

describe('the per-account lock', () => {
  it('answers 10 wrong passwords with 401, then 429 with Retry-After even for the right password', async () => {
    // Arrange
    const { service } = buildTestIdentity();
    await service.signup(ada, testOrigin);
    const login = (r: { email: string; password: string }) => service.login(r, testOrigin);

    // Act
    const first10 = await failures(login, wrong, 10);
    const right = await login({ email: ada.email, password: ada.password }).catch((e: unknown) => e);

    // Assert
    expect(first10.every((e) => e instanceof InvalidCredentialsError)).toBe(true);
    expect(right).toBeInstanceOf(TooManyRequestsError);
    expect((right as TooManyRequestsError).retryAfterSeconds).toBe(60);
  });

  it('locks an unknown e-mail exactly like a known one, with the same answer', async () => {
    // Arrange
    const { service } = buildTestIdentity();
    await service.signup(ada, testOrigin);
    const login = (r: { email: string; password: string }) => service.login(r, testOrigin);
    const nobody = { email: 'nobody@example.com', password: 'not the password' };

    // Act
    const known = await failures(login, wrong, 11);
    const unknown = await failures(login, nobody, 11);

    // Assert
    expect(unknown.map((e) => (e as Error).constructor.name)).toEqual(
      known.map((e) => (e as Error).constructor.name),
    );
    const [knownLock, unknownLock] = [known[10], unknown[10]] as TooManyRequestsError[];
    expect(unknownLock).toBeInstanceOf(TooManyRequestsError);
    expect(unknownLock?.message).toBe(knownLock?.message);
    expect(unknownLock?.retryAfterSeconds).toBe(knownLock?.retryAfterSeconds);
  });

  it('spends no password hash on an attempt against a locked account', async () => {
    // Arrange
    const hasher = new PlainPasswordHasher();
    const { service } = buildTestIdentity({ hasher });
    await service.signup(ada, testOrigin);
    await failures((r) => service.login(r, testOrigin), wrong, 10);
    const hashedBefore = hasher.verified.length;

    // Act
    await service.login({ email: ada.email, password: ada.password }, testOrigin).catch(() => undefined);

    // Assert
    expect(hasher.verified).toHaveLength(hashedBefore);
  });

  it('lets the right password in once the lock is over, and forgets the failures', async () => {
    // Arrange
    const { service, clock } = buildTestIdentity();
    await service.signup(ada, testOrigin);
    const login = (r: { email: string; password: string }) => service.login(r, testOrigin);
    await failures(login, wrong, 10);
    clock.advance(61);

    // Act
    const pair = await login({ email: ada.email, password: ada.password });
    const nineMore = await failures(login, wrong, 9);
    const stillOpen = await login({ email: ada.email, password: ada.password });

    // Assert
    expect(pair.accessToken).toBeDefined();
    expect(nineMore.every((e) => e instanceof InvalidCredentialsError)).toBe(true);
    expect(stillOpen.accessToken).toBeDefined();
  });

  it('doubles each further lock and never locks longer than the maximum', async () => {
    // Arrange
    const { service, clock } = buildTestIdentity({
      limits: { loginLockSeconds: 60, loginLockMaxSeconds: 200 },
    });
    const login = (r: { email: string; password: string }) => service.login(r, testOrigin);
    const locks: number[] = [];

    // Act
    for (let round = 0; round < 4; round++) {
      await failures(login, wrong, 10);
      const locked = (await login(wrong).catch((e: unknown) => e)) as TooManyRequestsError;
      locks.push(locked.retryAfterSeconds);
      clock.advance(locked.retryAfterSeconds);
    }

    // Assert
    expect(locks).toEqual([60, 120, 200, 200]);
  });

  it('writes each failure, the lock and the refused attempt to the audit trail, without the e-mail', async () => {
    // Arrange
    const { service, audit } = buildTestIdentity();
    const { userId } = await service.signup(ada, testOrigin);
    const login = (r: { email: string; password: string }) => service.login(r, testOrigin);

    // Act
    await failures(login, wrong, 11);

    // Assert
    const log = audit as RecordingAuditLog;
    expect(log.of('identity.login.failed')).toHaveLength(10);
    expect(log.of('identity.login.failed')[0]).toMatchObject({
      userId,
      sourceIp: testOrigin.sourceIp,
      reason: 'login',
      account: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(log.of('identity.login.locked')).toEqual([
      expect.objectContaining({ userId, retryAfterSeconds: 60 }),
    ]);
    expect(log.of('identity.login.throttled')).toEqual([
      expect.objectContaining({ reason: 'account-locked', retryAfterSeconds: 60 }),
    ]);
    expect(JSON.stringify(log.entries)).not.toContain(ada.email);
  });
});

describe('the per-source limits', () => {
  it('answers 429 once a source has used up its login attempts, until the window ends, and not another source', async () => {
    // Arrange
    const { service, clock } = buildTestIdentity({
      limits: { loginAttemptsPerIp: 3, loginIpWindowSeconds: 300 },
    });
    await service.signup(ada, testOrigin);
    const right = { email: ada.email, password: ada.password };
    await service.login(right, testOrigin);
    await service.login(right, testOrigin);
    await service.login(right, testOrigin);
    clock.advance(100);

    // Act
    const fourth = await service.login(right, testOrigin).catch((e: unknown) => e);
    const elsewhere = await service.login(right, { ...testOrigin, sourceIp: '198.51.100.1' });
    clock.advance(200);
    const nextWindow = await service.login(right, testOrigin);

    // Assert
    expect(fourth).toBeInstanceOf(TooManyRequestsError);
    expect((fourth as TooManyRequestsError).retryAfterSeconds).toBe(200);
    expect(elsewhere.accessToken).toBeDefined();
    expect(nextWindow.accessToken).toBeDefined();
  });

  it('counts signups per source and answers 429 past the limit', async () => {
    // Arrange
    const { service, audit } = buildTestIdentity({
      limits: { signupsPerIp: 2, signupIpWindowSeconds: 3600 },
    });
    const signup = (n: number) => service.signup({ ...ada, email: `user${n}@example.com` }, testOrigin);
    await signup(1);
    await signup(2);

    // Act
    const third = await signup(3).catch((e: unknown) => e);

    // Assert
    expect(third).toBeInstanceOf(TooManyRequestsError);
    expect((third as TooManyRequestsError).retryAfterSeconds).toBe(3600);
    expect((audit as RecordingAuditLog).of('identity.signup.throttled')).toHaveLength(1);
  });

  it('counts an IPv6 client by its /64, since one subscriber holds a whole /64', async () => {
    // Arrange
    const { service } = buildTestIdentity({ limits: { signupsPerIp: 1 } });
    await service.signup(ada, { ...testOrigin, sourceIp: '2001:db8:1:2::1' });

    // Act
    const sameNetwork = await service
      .signup({ ...ada, email: 'b@example.com' }, { ...testOrigin, sourceIp: '2001:db8:1:2:ffff::9' })
      .catch((e: unknown) => e);

    // Assert
    expect(sameNetwork).toBeInstanceOf(TooManyRequestsError);
  });
});

describe('sourceNetworkOf', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped ones and reduces IPv6 to its /64', () => {
    expect(sourceNetworkOf('203.0.113.9')).toBe('203.0.113.9');
    expect(sourceNetworkOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceNetworkOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(sourceNetworkOf('2001:0DB8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(sourceNetworkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceNetworkOf('::1')).toBe('0:0:0:0::/64');
  });
});
