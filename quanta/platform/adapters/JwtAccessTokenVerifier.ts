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
  /**
   * Longest lifetime (`exp - iat`) accepted, in seconds: the issuer's access-token lifetime plus
   * {@link TOKEN_CLOCK_SKEW_SECONDS} (see `maxTokenLifetimeSeconds`). A token that outlives it was not
   * issued by the issuer's rules, however well it is signed.
   */
  readonly maxLifetimeSeconds: number;
  /** How far in the future `iat` may be (the issuer's clock may run ahead). @default TOKEN_CLOCK_SKEW_SECONDS */
  readonly clockSkewSeconds?: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** Clock skew tolerated between the issuer and the authorizer, in seconds. */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

/**
 * The longest token lifetime the authorizer accepts: `configured` when given (the platform's
 * `MAX_TOKEN_LIFETIME_SECONDS`), else the issuer's access-token lifetime plus the clock skew.
 *
 * @example
 * ```ts
 * maxTokenLifetimeSeconds(900); // 960
 * maxTokenLifetimeSeconds(900, 600); // 600
 * ```
 */
export function maxTokenLifetimeSeconds(accessTokenTtlSeconds: number, configured?: number): number {
  return configured ?? accessTokenTtlSeconds + TOKEN_CLOCK_SKEW_SECONDS;
}

/**
 * {@link AccessTokenVerifier} with aws-jwt-verify's `JwtVerifier`: signature against the issuer's
 * JWKS (cached; refetched for an unknown `kid`, rate-limited by the cache's penalty box), `iss`,
 * `aud`, `exp` and `nbf`. Before any key lookup the header must say `alg: ES256` and carry a `kid`
 * (so `none`, `HS256` with the public key as secret, RS256 … are refused outright); after it the
 * claims must match identity's access-token contract (`sub`, `sid`, `roles`, `iat`, `exp` …), the
 * lifetime `exp - iat` must not exceed `maxLifetimeSeconds` and `iat` must not be in the future
 * (beyond the clock skew), so no token is valid longer than the issuer would ever have made it,
 * even one signed with a leaked or misused key.
 *
 * @example
 * ```ts
 * const verifier = new JwtAccessTokenVerifier({ issuer, audience, jwksUri, jwksCache, maxLifetimeSeconds: 960 });
 * const { userId, sessionId, roles } = await verifier.verify(token);
 * ```
 */
export class JwtAccessTokenVerifier implements AccessTokenVerifier {
  readonly #jwksUri: string;
  readonly #verifier: { verify(token: string): Promise<unknown> };
  readonly #maxLifetimeSeconds: number;
  readonly #clockSkewSeconds: number;
  readonly #now: () => Date;

  constructor(options: JwtAccessTokenVerifierOptions) {
    if (!Number.isInteger(options.maxLifetimeSeconds) || options.maxLifetimeSeconds < 1) {
      throw new TypeError(
        `maxLifetimeSeconds must be a positive integer, got ${JSON.stringify(options.maxLifetimeSeconds)}`,
      );
    }
    this.#jwksUri = options.jwksUri;
    this.#maxLifetimeSeconds = options.maxLifetimeSeconds;
    this.#clockSkewSeconds = options.clockSkewSeconds ?? TOKEN_CLOCK_SKEW_SECONDS;
    this.#now = options.now ?? (() => new Date());
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
        `claims do not match the access-token contract: ${claims.error.issues
          .map((i) => `${i.path.join('.') || '(claims)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    if (claims.data.sub === '' || claims.data.sid === '')
      throw new InvalidTokenError('sub and sid must not be empty');
    const { iat, exp } = claims.data;
    if (exp - iat > this.#maxLifetimeSeconds) {
      throw new InvalidTokenError(
        `lifetime exp - iat is ${exp - iat} s; at most ${this.#maxLifetimeSeconds} s is accepted`,
      );
    }
    const now = Math.floor(this.#now().getTime() / 1000);
    if (iat > now + this.#clockSkewSeconds)
      throw new InvalidTokenError(`iat is ${iat - now} s in the future`);
    return { userId: claims.data.sub, sessionId: claims.data.sid, roles: claims.data.roles };
  }
}
