import type { AuthorizerContext } from '@quanta/contracts/platform';

/**
 * Port: sessions whose access tokens must be refused (until those tokens would expire anyway). It is
 * the second check on every access token, after {@link AccessTokenVerifier}: a token can verify and
 * still belong to a session that was logged out or revoked.
 */
export interface Denylist {
  /** Whether `sessionId` is denied at `now` (epoch seconds). */
  isDenied(sessionId: string, now: number): Promise<boolean>;
  /** Denies `sessionId` until `until` (epoch seconds); idempotent, never shortens an existing entry. */
  deny(sessionId: string, until: number): Promise<void>;
}

/** Port: verifies an access token and says who it belongs to (the first check; see {@link Denylist}). */
export interface AccessTokenVerifier {
  /**
   * The caller the token was issued to. Rejects with `InvalidTokenError` for any token that must
   * be denied, and with another error only when verification itself could not run (e.g. no JWKS).
   */
  verify(token: string): Promise<AuthorizerContext>;
}
