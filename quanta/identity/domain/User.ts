import type { AnyEventEnvelope } from '@quanta/contracts/envelope';

/**
 * A registered user: profile and credentials. Roles live apart (see `Roles.ts`), so a grant or a
 * revocation never touches the credentials and is read afresh whenever a token is issued.
 */
export interface User {
  readonly userId: string;
  /** Normalized (trimmed, lower-case); unique across users. */
  readonly email: string;
  readonly displayName: string;
  /** Self-describing password hash (scheme and parameters included). */
  readonly passwordHash: string;
  /** ISO-8601. */
  readonly createdAt: string;
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
   * Stores a new user with its first `roles`, claims its e-mail and writes `event` to the outbox,
   * atomically. Rejects with `EmailTakenError` when the e-mail is already claimed (also under
   * concurrent signups).
   */
  register(user: User, roles: readonly string[], event: AnyEventEnvelope): Promise<void>;
  /** The user owning `email` (normalized), if any. */
  findByEmail(email: string): Promise<User | undefined>;
  findById(userId: string): Promise<User | undefined>;
  /**
   * Replaces the password hash (a password change, or stronger parameters on login). With
   * `expectedHash`, only if the stored hash is still that one: resolves `false`, writing nothing,
   * when another change came first.
   */
  updatePasswordHash(userId: string, passwordHash: string, expectedHash?: string): Promise<boolean>;
}
