import { randomUUID } from 'node:crypto';
import type { AccessTokenClaims, Jwks } from '@quanta/contracts/identity';

/**
 * Port: the ES256 signing keys. The current key signs; every key (current and previous) is
 * published, so tokens signed before a rotation stay verifiable until they expire.
 */
export interface SigningKeyRing {
  /** `kid` of the current signing key (its RFC 7638 thumbprint). */
  currentKeyId(): Promise<string>;
  /** ES256 signature of `data` with the current key, in JOSE form (64 bytes: r || s). */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** The public keys, current first. */
  publicJwks(): Promise<Jwks>;
}

/** Largest access-token lifetime the design allows (15 minutes). */
const MAX_ACCESS_TOKEN_TTL_SECONDS = 900;

/** Options of {@link AccessTokenIssuer}. */
interface AccessTokenIssuerOptions {
  readonly keyRing: SigningKeyRing;
  /** `iss` claim. */
  readonly issuer: string;
  /** `aud` claim. */
  readonly audience: string;
  /** Lifetime in seconds, at most 900. */
  readonly ttlSeconds: number;
}

/** A signed access token. */
interface IssuedAccessToken {
  readonly token: string;
  readonly claims: AccessTokenClaims;
}

/**
 * Issues ES256 JWT access tokens: header `{ alg: 'ES256', typ: 'JWT', kid }`, claims `iss`, `aud`,
 * `sub`, `sid`, `roles`, `jti`, `iat`, `nbf` (= `iat`) and `exp` (= `iat` + TTL), signed by the key ring's
 * current key.
 *
 * @example
 * ```ts
 * const issuer = new AccessTokenIssuer({ keyRing, issuer: 'https://identity.quanta.local', audience: 'quanta-api', ttlSeconds: 900 });
 * const { token } = await issuer.issue({ userId, sessionId, roles: ['customer'] }, new Date());
 * ```
 */
export class AccessTokenIssuer {
  readonly #options: AccessTokenIssuerOptions;

  constructor(options: AccessTokenIssuerOptions) {
    if (
      !Number.isInteger(options.ttlSeconds) ||
      options.ttlSeconds < 1 ||
      options.ttlSeconds > MAX_ACCESS_TOKEN_TTL_SECONDS
    ) {
      throw new RangeError(
        `Access-token TTL must be 1..${MAX_ACCESS_TOKEN_TTL_SECONDS} seconds, got ${options.ttlSeconds}`,
      );
    }
    this.#options = options;
  }

  /** Lifetime of issued tokens in seconds. */
  get ttlSeconds(): number {
    return this.#options.ttlSeconds;
  }

  async issue(
    subject: { readonly userId: string; readonly sessionId: string; readonly roles: readonly string[] },
    now: Date,
  ): Promise<IssuedAccessToken> {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: AccessTokenClaims = {
      iss: this.#options.issuer,
      aud: this.#options.audience,
      sub: subject.userId,
      sid: subject.sessionId,
      roles: [...subject.roles],
      jti: randomUUID(),
      iat,
      nbf: iat,
      exp: iat + this.#options.ttlSeconds,
    };
    const header = { alg: 'ES256', typ: 'JWT', kid: await this.#options.keyRing.currentKeyId() };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = await this.#options.keyRing.sign(Buffer.from(signingInput, 'ascii'));
    return { token: `${signingInput}.${Buffer.from(signature).toString('base64url')}`, claims };
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
