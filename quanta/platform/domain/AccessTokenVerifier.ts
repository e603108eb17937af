import type { AuthorizerContext } from '@quanta/contracts';

/** Port: verifies an access token and says who it belongs to. */
export interface AccessTokenVerifier {
  /**
   * The caller the token was issued to. Rejects with `InvalidTokenError` for any token that must
   * be denied, and with another error only when verification itself could not run (e.g. no JWKS).
   */
  verify(token: string): Promise<AuthorizerContext>;
}
