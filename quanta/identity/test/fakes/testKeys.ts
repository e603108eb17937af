import { generateKeyPairSync } from 'node:crypto';
import type { PrivateJwk } from '../../adapters/LocalSigningKeyRing';

/** A fresh private EC P-256 JWK, as the local cloud generates for `SIGNING_KEYS_JWK`. */
export function generatePrivateJwk(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y), d: String(jwk.d) };
}
