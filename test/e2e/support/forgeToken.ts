import type { JsonWebKey } from 'node:crypto';
import { createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto';

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** Encodes header and claims and signs them with `signer` (or leaves the signature empty). */
function assemble(header: object, claims: object, signer?: (input: string) => Buffer): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${signer === undefined ? '' : b64url(signer(input))}`;
}

/** An ES256 JWT signed with a private EC JWK (`kid` as given). */
export function signEs256(privateJwk: JsonWebKey, kid: string, claims: object): string {
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  return assemble({ alg: 'ES256', typ: 'JWT', kid }, claims, (input) =>
    sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }),
  );
}

/** An unsigned JWT (`alg: none`), the oldest trick in the book. */
export function unsignedToken(kid: string, claims: object): string {
  return assemble({ alg: 'none', typ: 'JWT', kid }, claims);
}

/**
 * An HS256 JWT whose HMAC secret is the issuer's *public* key (PEM): the key-confusion attack a
 * verifier falls for when it lets the token choose the algorithm.
 */
export function hs256WithPublicKey(privateJwk: JsonWebKey, kid: string, claims: object): string {
  const pem = createPublicKey({ key: privateJwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
  return assemble({ alg: 'HS256', typ: 'JWT', kid }, claims, (input) =>
    createHmac('sha256', pem).update(input).digest(),
  );
}

/** The claims of a JWT (no verification). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The header of a JWT (no verification). */
export function headerOf(token: string): Record<string, unknown> {
  const header = token.split('.')[0] ?? '';
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
}
