import { QuantaError, type QuantaErrorOptions } from '@quanta/runtime/errors';

/** Base of the platform's errors. */
export class PlatformError extends QuantaError {}

/**
 * 401 `INVALID_TOKEN`: an access token failed verification (malformed, wrong algorithm, bad
 * signature, expired, not yet valid, wrong issuer or audience, missing claims). The authorizer
 * turns it into a deny; it never escapes as a 5xx.
 *
 * @example
 * ```ts
 * throw new InvalidTokenError('alg "HS256" is not accepted; only ES256');
 * ```
 */
export class InvalidTokenError extends PlatformError {
  constructor(reason: string, options: QuantaErrorOptions = {}) {
    super(`Access token rejected: ${reason}`, { ...options, status: 401, code: 'INVALID_TOKEN' });
  }
}

/**
 * 503 `JWKS_UNAVAILABLE`: the issuer's key set could not be fetched or parsed. Not a verdict on the
 * token, so the authorizer fails (the gateway answers 5xx and does not cache a deny).
 *
 * @example
 * ```ts
 * throw new JwksUnavailableError('http://127.0.0.1:3000/identity/.well-known/jwks.json', { cause });
 * ```
 */
export class JwksUnavailableError extends PlatformError {
  constructor(jwksUri: string, options: QuantaErrorOptions = {}) {
    super(`JWKS at ${jwksUri} is unavailable`, { ...options, status: 503, code: 'JWKS_UNAVAILABLE' });
  }
}
