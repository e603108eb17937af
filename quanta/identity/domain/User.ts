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
