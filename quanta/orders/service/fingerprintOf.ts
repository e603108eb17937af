import { createHash } from 'node:crypto';
import type { PlaceOrderRequest } from '@quanta/contracts';
import { canonicalJson } from './canonicalJson';

/**
 * Fingerprint of a `POST /orders` body for idempotency: SHA-256 (hex) of its canonical JSON, with the
 * lines sorted by product (an order's lines are a set) and the card reduced to its last 4 digits and
 * expiry. The card number and CVC are left out on purpose: an unkeyed hash of a card number can be
 * reversed by brute force (a PAN has few unknown digits), so it must never be stored.
 *
 * @example
 * ```ts
 * fingerprintOf({ items: [{ productId: 'p1', quantity: 2 }], card: { number: '4242424242424242' } }); // '5e0c…'
 * ```
 */
export function fingerprintOf(request: PlaceOrderRequest): string {
  const canonical = canonicalJson({
    items: [...request.items]
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
      .map((i) => ({ productId: i.productId, quantity: i.quantity })),
    card: {
      last4: request.card.number.slice(-4),
      expMonth: request.card.expMonth,
      expYear: request.card.expYear,
    },
  });
  return createHash('sha256').update(canonical).digest('hex');
}
