import type { JsonWebKey } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';

/**
 * Generates `count` EC P-256 private keys as JWKs (the local stand-in for identity's KMS keys).
 * The first one signs; all are published in the JWKS, so locally too the JWKS serves a current and
 * a previous key, as after a rotation in AWS.
 *
 * @example
 * ```ts
 * const [current, previous] = generateSigningKeys(2);
 * ```
 */
export function generateSigningKeys(count: number): JsonWebKey[] {
  return Array.from({ length: count }, () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return privateKey.export({ format: 'jwk' });
  });
}
