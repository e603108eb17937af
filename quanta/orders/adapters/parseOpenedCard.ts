import { type Card, cardSchema } from '@quanta/contracts';
import { CardVaultError } from '../errors';

/**
 * The card in decrypted bytes, validated with the contract's schema. The error never quotes the
 * bytes (they are a card).
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
