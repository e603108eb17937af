import { accessTokenClaimsSchema } from '@quanta/contracts/identity';
import type { AuthorizerContext } from '@quanta/contracts/platform';
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksValidationError } from 'aws-jwt-verify/error';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { AccessTokenVerifier } from '../domain/Denylist';
import { InvalidTokenError, JwksUnavailableError } from '../errors';

/** Options of {@link JwtAccessTokenVerifier}. */
interface JwtAccessTokenVerifierOptions {
  /** Expected `iss`. */
  readonly issuer: string;
  /** Expected `aud`. */
  readonly audience: string;
  /** Where the issuer publishes its JWKS. */
  readonly jwksUri: string;
  /** JWKS cache (inject one built on `FetchJwksFetcher`); keep it across invocations. */
  readonly jwksCache: JwksCache;
}

/**
 * {@link AccessTokenVerifier} with aws-jwt-verify's `JwtVerifier`: signature against the issuer's
 * JWKS (cached; refetched for an unknown `kid`, rate-limited by the cache's penalty box), `iss`,
 * `aud`, `exp` and `nbf`. Before any key lookup the header must say `alg: ES256` and carry a `kid`
 * (so `none`, `HS256` with the public key as secret, RS256 … are refused outright); after it the
 * claims must match identity's access-token contract (`sub`, `sid`, `roles`, `exp` …).
 *
 * @example
 * ```ts
 * const verifier = new JwtAccessTokenVerifier({ issuer, audience, jwksUri, jwksCache });
 * const { userId, sessionId, roles } = await verifier.verify(token);
 * ```
 */
export class JwtAccessTokenVerifier implements AccessTokenVerifier {
  readonly #jwksUri: string;
  readonly #verifier: { verify(token: string): Promise<unknown> };

  constructor(options: JwtAccessTokenVerifierOptions) {
    this.#jwksUri = options.jwksUri;
    this.#verifier = JwtVerifier.create(
      { issuer: options.issuer, audience: options.audience, jwksUri: options.jwksUri },
      { jwksCache: options.jwksCache },
    );
  }

  async verify(token: string): Promise<AuthorizerContext> {
    let header: { alg?: unknown; kid?: unknown };
    try {
      header = decomposeUnverifiedJwt(token).header;
    } catch (error) {
      throw new InvalidTokenError('not a well-formed JWT', { cause: error });
    }
    if (header.alg !== 'ES256')
      throw new InvalidTokenError(`alg ${JSON.stringify(header.alg)} is not accepted; only ES256`);
    if (typeof header.kid !== 'string' || header.kid === '') throw new InvalidTokenError('header has no kid');
    let payload: unknown;
    try {
      payload = await this.#verifier.verify(token);
    } catch (error) {
      if (error instanceof FetchError || error instanceof JwksValidationError) {
        throw new JwksUnavailableError(this.#jwksUri, { cause: error });
      }
      throw new InvalidTokenError((error as Error).message, { cause: error });
    }
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new InvalidTokenError(
        `claims do not match the access-token contract: ${claims.error.issues[0]?.message}`,
      );
    }
    if (claims.data.sub === '' || claims.data.sid === '')
      throw new InvalidTokenError('sub and sid must not be empty');
    return { userId: claims.data.sub, sessionId: claims.data.sid, roles: claims.data.roles };
  }
}
