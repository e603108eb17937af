/** Port: one-way password hashing with a tunable cost. */
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
