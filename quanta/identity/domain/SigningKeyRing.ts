import type { Jwks } from '@quanta/contracts';

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
