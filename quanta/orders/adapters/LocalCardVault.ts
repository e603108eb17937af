import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Card } from '@quanta/contracts/payments';
import { type CardVault, parseOpenedCard } from '../domain/CardVault';
import { CardVaultError } from '../errors';

const PREFIX = 'local:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * {@link CardVault} for the local cloud and tests: AES-256-GCM with the quantum's local 256-bit key
 * (`ENCRYPTION_KEY_LOCAL`), a random 96-bit IV per seal, and the order id as additional
 * authenticated data, so a sealed card opens only for its own order and any tampering is detected.
 * Output: `local:v1:` + base64url(iv ‖ tag ‖ ciphertext).
 *
 * @example
 * ```ts
 * const vault = LocalCardVault.fromBase64(env.ENCRYPTION_KEY_LOCAL);
 * const sealed = await vault.seal(card, orderId);
 * ```
 */
export class LocalCardVault implements CardVault {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.byteLength !== 32) {
      throw new CardVaultError(`Local card key must be 32 bytes (AES-256), got ${key.byteLength}`);
    }
    this.#key = Buffer.from(key);
  }

  /** A vault from a base64 (or base64url) 256-bit key, as `ENCRYPTION_KEY_LOCAL` holds it. */
  static fromBase64(key: string): LocalCardVault {
    return new LocalCardVault(Buffer.from(key, 'base64'));
  }

  async seal(card: Card, orderId: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(aadOf(orderId));
    const plaintext = Buffer.from(JSON.stringify(card), 'utf8');
    try {
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    } finally {
      plaintext.fill(0);
    }
  }

  async open(sealed: string, orderId: string): Promise<Card> {
    if (!sealed.startsWith(PREFIX))
      throw new CardVaultError(`Sealed card of order ${orderId} is not a local one`);
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    if (bytes.byteLength <= IV_BYTES + TAG_BYTES) {
      throw new CardVaultError(`Sealed card of order ${orderId} is truncated`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aadOf(orderId));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new CardVaultError(
        `Sealed card of order ${orderId} does not authenticate (wrong key, order or data)`,
        {
          cause: error,
        },
      );
    }
    try {
      return parseOpenedCard(plaintext, orderId);
    } finally {
      plaintext.fill(0);
    }
  }
}

function aadOf(orderId: string): Buffer {
  return Buffer.from(`orders:card:${orderId}`, 'utf8');
}
