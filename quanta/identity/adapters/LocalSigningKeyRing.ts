import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { Jwk, Jwks } from '@quanta/contracts/identity';
import * as z from '@quanta/contracts/zod';
import type { SigningKeyRing } from '../domain/AccessTokenIssuer';
import { SigningKeyError } from '../errors';
import { jwkThumbprint } from './jwkThumbprint';

const privateJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().check(z.minLength(1)),
  y: z.string().check(z.minLength(1)),
  d: z.string().check(z.minLength(1)),
});

/** The shape of `SIGNING_KEYS_JWK`: private EC P-256 JWKs, the signing key first. */
const privateJwksSchema = z.array(privateJwkSchema).check(z.minLength(1));

/** One private EC P-256 JWK (with `d`). */
export type PrivateJwk = z.infer<typeof privateJwkSchema>;

interface LoadedKey {
  readonly privateKey: KeyObject;
  readonly publicJwk: Jwk;
}

/**
 * {@link SigningKeyRing} on private JWKs held in memory (the local cloud generates them): node:crypto
 * signs with the first, every key is published, `kid` = RFC 7638 thumbprint.
 *
 * @example
 * ```ts
 * const ring = LocalSigningKeyRing.fromJson(env.SIGNING_KEYS_JWK);
 * const signature = await ring.sign(Buffer.from(signingInput)); // 64-byte JOSE signature
 * ```
 */
export class LocalSigningKeyRing implements SigningKeyRing {
  readonly #keys: readonly [LoadedKey, ...LoadedKey[]];

  constructor(privateJwks: readonly PrivateJwk[]) {
    const keys = privateJwks.map((jwk) => {
      const members = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
      let privateKey: KeyObject;
      try {
        privateKey = createPrivateKey({ key: { ...jwk }, format: 'jwk' });
      } catch (error) {
        throw new SigningKeyError(`Signing key ${jwkThumbprint(members)} is not a valid P-256 private key`, {
          cause: error,
        });
      }
      const publicJwk: Jwk = { ...members, kid: jwkThumbprint(members), alg: 'ES256', use: 'sig' };
      return { privateKey, publicJwk };
    });
    const [first, ...rest] = keys;
    if (first === undefined) throw new SigningKeyError('At least one signing key is required');
    this.#keys = [first, ...rest];
  }

  /** Parses `SIGNING_KEYS_JWK` (a JSON array of private JWKs); the error never echoes key material. */
  static fromJson(json: string): LocalSigningKeyRing {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new SigningKeyError('SIGNING_KEYS_JWK is not valid JSON');
    }
    const parsed = privateJwksSchema.safeParse(value);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SigningKeyError(`SIGNING_KEYS_JWK must be an array of private EC P-256 JWKs (${where})`);
    }
    return new LocalSigningKeyRing(parsed.data);
  }

  async currentKeyId(): Promise<string> {
    return this.#keys[0].publicJwk.kid;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return sign('sha256', data, { key: this.#keys[0].privateKey, dsaEncoding: 'ieee-p1363' });
  }

  async publicJwks(): Promise<Jwks> {
    return { keys: this.#keys.map((k) => k.publicJwk) };
  }
}
