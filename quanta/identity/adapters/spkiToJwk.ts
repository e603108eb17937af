import { createPublicKey } from 'node:crypto';
import type { Jwk } from '@quanta/contracts/identity';
import { jwkThumbprint } from './jwkThumbprint';

/**
 * Converts a DER SubjectPublicKeyInfo (what KMS `GetPublicKey` returns) of an EC P-256 key into the
 * public JWK published in the JWKS, with `kid` = its RFC 7638 thumbprint. Rejects other key types.
 *
 * @example
 * ```ts
 * const jwk = spkiToJwk(getPublicKeyResponse.PublicKey); // { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' }
 * ```
 */
export function spkiToJwk(spki: Uint8Array): Jwk {
  const exported = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({
    format: 'jwk',
  });
  if (
    exported.kty !== 'EC' ||
    exported.crv !== 'P-256' ||
    exported.x === undefined ||
    exported.y === undefined
  ) {
    throw new Error(`Expected an EC P-256 public key, got kty=${exported.kty} crv=${exported.crv}`);
  }
  const members = { kty: 'EC' as const, crv: 'P-256' as const, x: exported.x, y: exported.y };
  return { ...members, kid: jwkThumbprint(members), alg: 'ES256', use: 'sig' };
}
