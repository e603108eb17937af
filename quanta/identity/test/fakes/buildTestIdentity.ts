import { LocalSigningKeyRing } from '../../adapters/LocalSigningKeyRing';
import { AccessTokenIssuer } from '../../domain/AccessTokenIssuer';
import type { SessionRepository } from '../../domain/Session';
import type { PasswordHasher, UserRepository } from '../../domain/User';
import { IdentityService } from '../../service/IdentityService';
import { UserProfiles } from '../../service/UserProfiles';
import { InMemorySessionRepository } from './InMemorySessionRepository';
import { InMemoryUserRepository } from './InMemoryUserRepository';
import { PlainPasswordHasher } from './PlainPasswordHasher';
import { generatePrivateJwk } from './testKeys';

/** A mutable test clock. */
export interface TestClock {
  now: Date;
  advance(seconds: number): void;
}

/** identity's services wired for tests: in-memory repositories and plain hashing unless given. */
export function buildTestIdentity(
  overrides: { users?: UserRepository; sessions?: SessionRepository; hasher?: PasswordHasher } = {},
) {
  const clock: TestClock = {
    now: new Date('2026-05-01T12:00:00Z'),
    advance(seconds) {
      this.now = new Date(this.now.getTime() + seconds * 1000);
    },
  };
  const users = overrides.users ?? new InMemoryUserRepository();
  const sessions = overrides.sessions ?? new InMemorySessionRepository();
  const keyRing = new LocalSigningKeyRing([generatePrivateJwk(), generatePrivateJwk()]);
  const tokens = new AccessTokenIssuer({
    keyRing,
    issuer: 'https://identity.test',
    audience: 'quanta-api',
    ttlSeconds: 900,
  });
  const service = new IdentityService({
    users,
    sessions,
    hasher: overrides.hasher ?? new PlainPasswordHasher(),
    tokens,
    keyRing,
    refreshTokenTtlSeconds: 3600,
    adminEmails: ['root@quanta.test'],
    now: () => clock.now,
  });
  return { service, profiles: new UserProfiles(users), users, sessions, keyRing, clock };
}
