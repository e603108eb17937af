import { createPublicKey, verify } from 'node:crypto';
import type { Jwks } from '@quanta/contracts/identity';

/**
 * An independent ES256 JWT check for tests: finds the header's `kid` in `jwks` and verifies the
 * signature with node:crypto (`dsaEncoding: 'ieee-p1363'`, the JOSE r||s form). Returns header and
 * claims, or throws.
 */
export function verifyEs256(
  token: string,
  jwks: Jwks,
): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p, s] = token.split('.');
  if (h === undefined || p === undefined || s === undefined)
    throw new Error('not a JWS compact serialization');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (jwk === undefined) throw new Error(`kid ${String(header.kid)} not in JWKS`);
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  const signature = Buffer.from(s, 'base64url');
  if (signature.length !== 64)
    throw new Error(`signature has ${signature.length} bytes, JOSE ES256 needs 64`);
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`, 'ascii'),
    { key, dsaEncoding: 'ieee-p1363' },
    signature,
  );
  if (!ok) throw new Error('bad signature');
  return {
    header,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}
