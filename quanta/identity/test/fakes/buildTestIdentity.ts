import { LocalSigningKeyRing } from '../../adapters/LocalSigningKeyRing';
import { AccessTokenIssuer } from '../../domain/AccessTokenIssuer';
import type { AuditLog } from '../../domain/Audit';
import type { RoleRepository } from '../../domain/Roles';
import type { SessionRepository } from '../../domain/Session';
import type { ThrottleStore } from '../../domain/Throttle';
import type { PasswordHasher, UserRepository } from '../../domain/User';
import { type AttemptLimitSettings, AttemptLimits } from '../../service/AttemptLimits';
import { IdentityService } from '../../service/IdentityService';
import { RoleAdministration } from '../../service/RoleAdministration';
import { SessionRevocation } from '../../service/SessionRevocation';
import { UserProfiles } from '../../service/UserProfiles';
import { InMemoryRoleRepository } from './InMemoryRoleRepository';
import { InMemorySessionRepository } from './InMemorySessionRepository';
import { InMemoryThrottleStore } from './InMemoryThrottleStore';
import { InMemoryUserRepository } from './InMemoryUserRepository';
import { PlainPasswordHasher } from './PlainPasswordHasher';
import { RecordingAuditLog } from './RecordingAuditLog';
import { generatePrivateJwk } from './testKeys';

/** A mutable test clock. */
export interface TestClock {
  now: Date;
  advance(seconds: number): void;
}

/** The manifest's limits (10 failures, 60 s first lock up to 900 s), with generous per-source limits. */
export const TEST_LIMITS: AttemptLimitSettings = {
  loginMaxFailures: 10,
  loginLockSeconds: 60,
  loginLockMaxSeconds: 900,
  loginAttemptsPerIp: 1000,
  loginIpWindowSeconds: 300,
  signupsPerIp: 1000,
  signupIpWindowSeconds: 3600,
};

/** Where test requests come from. */
export const testOrigin = { correlationId: 'corr-1', sourceIp: '203.0.113.7' };

/** identity's services wired for tests: in-memory repositories and plain hashing unless given. */
export function buildTestIdentity(
  overrides: {
    users?: UserRepository;
    roles?: RoleRepository;
    sessions?: SessionRepository;
    throttles?: ThrottleStore;
    hasher?: PasswordHasher;
    audit?: AuditLog;
    limits?: Partial<AttemptLimitSettings>;
  } = {},
) {
  const clock: TestClock = {
    now: new Date('2026-05-01T12:00:00Z'),
    advance(seconds) {
      this.now = new Date(this.now.getTime() + seconds * 1000);
    },
  };
  const now = () => clock.now;
  const users = overrides.users ?? new InMemoryUserRepository();
  const roles =
    overrides.roles ??
    (users instanceof InMemoryUserRepository ? new InMemoryRoleRepository(users) : undefined);
  if (roles === undefined) throw new Error('buildTestIdentity: pass `roles` along with a real `users`');
  const sessions = overrides.sessions ?? new InMemorySessionRepository();
  const throttles = overrides.throttles ?? new InMemoryThrottleStore();
  const audit = overrides.audit ?? new RecordingAuditLog();
  const keyRing = new LocalSigningKeyRing([generatePrivateJwk(), generatePrivateJwk()]);
  const tokens = new AccessTokenIssuer({
    keyRing,
    issuer: 'https://identity.test',
    audience: 'quanta-api',
    ttlSeconds: 900,
  });
  const revocation = new SessionRevocation({ sessions, audit, accessTokenTtlSeconds: 900, now });
  const limits = new AttemptLimits({
    store: throttles,
    audit,
    settings: { ...TEST_LIMITS, ...overrides.limits },
    now,
  });
  const service = new IdentityService({
    users,
    roles,
    sessions,
    hasher: overrides.hasher ?? new PlainPasswordHasher(),
    tokens,
    keyRing,
    limits,
    revocation,
    audit,
    refreshTokenTtlSeconds: 3600,
    adminEmails: ['root@quanta.test'],
    now,
  });
  const administration = new RoleAdministration({ users, roles, revocation, audit, now });
  return {
    service,
    administration,
    profiles: new UserProfiles(roles),
    users,
    roles,
    sessions,
    throttles,
    audit,
    keyRing,
    clock,
  };
}
