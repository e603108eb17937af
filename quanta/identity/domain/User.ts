import type { AnyEventEnvelope } from '@quanta/contracts/envelope';

/** A registered user. */
export interface User {
  readonly userId: string;
  /** Normalized (trimmed, lower-case); unique across users. */
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  /** Self-describing password hash (scheme and parameters included). */
  readonly passwordHash: string;
  /** ISO-8601. */
  readonly createdAt: string;
}

/** Role every user has. */
const CUSTOMER_ROLE = 'customer';
/** Role of the configured administrators. */
const ADMIN_ROLE = 'admin';

/**
 * Roles granted at signup: `customer`, plus `admin` when the e-mail is one of `adminEmails`
 * (compared case-insensitively).
 *
 * @example
 * ```ts
 * rolesFor('Root@Quanta.local', ['root@quanta.local']); // ['customer', 'admin']
 * ```
 */
export function rolesFor(email: string, adminEmails: readonly string[]): string[] {
  const normalized = email.trim().toLowerCase();
  const isAdmin = adminEmails.some((a) => a.trim().toLowerCase() === normalized);
  return isAdmin ? [CUSTOMER_ROLE, ADMIN_ROLE] : [CUSTOMER_ROLE];
}

/** Port: one-way password hashing with a tunable cost (what makes a {@link User.passwordHash}). */
export interface PasswordHasher {
  /** A self-describing hash (scheme, parameters, salt, key) of `password`. */
  hash(password: string): Promise<string>;
  /**
   * Whether `password` matches `encoded`, compared in constant time. With `encoded` undefined
   * (unknown user) it spends the same time and answers false, so timing reveals nothing.
   */
  verify(password: string, encoded: string | undefined): Promise<boolean>;
  /** Whether `encoded` was made with weaker parameters than the current ones. */
  needsRehash(encoded: string): boolean;
}

/** Port: where users live. */
export interface UserRepository {
  /**
   * Stores a new user, claims its e-mail and writes `event` to the outbox, atomically. Rejects with
   * `EmailTakenError` when the e-mail is already claimed (also under concurrent signups).
   */
  register(user: User, event: AnyEventEnvelope): Promise<void>;
  /** The user owning `email` (normalized), if any. */
  findByEmail(email: string): Promise<User | undefined>;
  findById(userId: string): Promise<User | undefined>;
  /** Replaces the password hash (used to upgrade hashing parameters on login). */
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
}
