import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** An issuer for tests: an EC P-256 key pair, its public JWKS, and token forging helpers. */
export interface TestIssuer {
  readonly jwks: { keys: Record<string, string>[] };
  readonly kid: string;
  /** A correctly signed ES256 token with the given claim overrides. */
  token(overrides?: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** A token signed by another key but claiming this issuer's kid. */
  forgedWithOtherKey(overrides?: Record<string, unknown>): string;
  /** `alg: none`, no signature. */
  unsigned(overrides?: Record<string, unknown>): string;
  /** HS256 with the issuer's public key (as published) used as the HMAC secret: the classic confusion attack. */
  hs256WithPublicKey(overrides?: Record<string, unknown>): string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds a {@link TestIssuer} for `iss`/`aud`, valid claims by default (sub, sid, roles, jti, iat, nbf, exp). */
export function testIssuer(iss: string, aud: string): TestIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const pub = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: pub.crv, kty: pub.kty, x: pub.x, y: pub.y }))
    .digest('base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: String(pub.x), y: String(pub.y), kid, alg: 'ES256', use: 'sig' };
  const claims = (overrides: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss,
      aud,
      sub: 'user-1',
      sid: 'session-1',
      roles: ['customer'],
      jti: crypto.randomUUID(),
      iat: now,
      nbf: now,
      exp: now + 900,
      ...overrides,
    };
  };
  const es256 = (key: KeyObject, overrides: Record<string, unknown>, header: Record<string, unknown>) => {
    const input = `${b64({ alg: 'ES256', typ: 'JWT', kid, ...header })}.${b64(claims(overrides))}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
  return {
    jwks: { keys: [jwk] },
    kid,
    token: (overrides = {}, header = {}) => es256(privateKey, overrides, header),
    forgedWithOtherKey: (overrides = {}) => es256(other, overrides, {}),
    unsigned: (overrides = {}) => `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claims(overrides))}.`,
    hs256WithPublicKey: (overrides = {}) => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims(overrides))}`;
      const secret = JSON.stringify(jwk);
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    },
  };
}
