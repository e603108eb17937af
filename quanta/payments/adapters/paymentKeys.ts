/** Partition-key prefix of payment intents. */
export const PAYMENT_PREFIX = 'PAYMENT#';

/**
 * Keys of payments' table items (single-table design):
 * - `PAYMENT#<orderId>` / `PAYMENT`: the order's payment intent (one per order, the idempotency key
 *   of both requests);
 * - `OUTBOX#<eventId>` / `OUTBOX`: events waiting for the relay (written by the runtime's `outboxPut`).
 *
 * @example
 * ```ts
 * paymentKeys.intent('ord-1'); // { pk: 'PAYMENT#ord-1', sk: 'PAYMENT' }
 * ```
 */
export const paymentKeys = {
  intent: (orderId: string) => ({ pk: `${PAYMENT_PREFIX}${orderId}`, sk: 'PAYMENT' }),
} as const;
