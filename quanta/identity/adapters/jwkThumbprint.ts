import { createHash } from 'node:crypto';

/** The members of an EC public key that its thumbprint covers. */
interface EcPublicJwkMembers {
  readonly crv: string;
  readonly kty: string;
  readonly x: string;
  readonly y: string;
}

/**
 * RFC 7638 JWK thumbprint of an EC public key: SHA-256 over the JSON of its required members
 * (`crv`, `kty`, `x`, `y`, in that lexicographic order, no whitespace), base64url. Used as the `kid`,
 * so a key's id is derived from the key itself and the same on every instance.
 *
 * @example
 * ```ts
 * jwkThumbprint({ kty: 'EC', crv: 'P-256', x, y }); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 */
export function jwkThumbprint(jwk: EcPublicJwkMembers): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
