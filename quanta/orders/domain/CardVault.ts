import { type Card, cardSchema } from '@quanta/contracts/payments';
import { CardVaultError } from '../errors';

/**
 * Port: keeps a card only in sealed (encrypted, authenticated) form, bound to one order, so that
 * neither the table nor a backup ever holds a card number in clear.
 */
export interface CardVault {
  /** Encrypts `card` for `orderId`; the result is opaque text safe to store. */
  seal(card: Card, orderId: string): Promise<string>;
  /** Decrypts what `seal` produced for the same `orderId`; fails if it was tampered with or belongs to another order. */
  open(sealed: string, orderId: string): Promise<Card>;
}

/**
 * The card in a vault's decrypted bytes, validated with the contract's schema. The error never
 * quotes the bytes (they are a card).
 *
 * @example
 * ```ts
 * const card = parseOpenedCard(plaintext, orderId);
 * ```
 */
export function parseOpenedCard(plaintext: Uint8Array, orderId: string): Card {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    throw new CardVaultError(`Opened card of order ${orderId} is not JSON`);
  }
  const parsed = cardSchema.safeParse(json);
  if (!parsed.success) throw new CardVaultError(`Opened card of order ${orderId} is not a card`);
  return parsed.data;
}
