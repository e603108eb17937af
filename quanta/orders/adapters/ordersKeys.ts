/**
 * Keys of orders' single table. Items:
 * - `ORDER#<orderId>` / `ORDER`: the order and its saga state; `gsi1` (`USER#<userId>`,
 *   `<createdAt>#<orderId>`) lists a user's orders; `gsi2` (`PENDING`, `<deadline>#<orderId>`) while
 *   pending and (`COMPENSATING`, `<nextCompensationAt>#<orderId>`) while compensations are unacknowledged.
 * - `ORDER#<orderId>` / `CARD`: the sealed card, TTL = the order's deadline, deleted after the payment step.
 * - `IDEMPOTENCY#<userId>#<key>` / `IDEMPOTENCY`: the key's fingerprint and order, TTL = retention.
 * - `PRODUCT#<productId>` / `PRODUCT`: orders' copy of a product's name and its rename version.
 * - `OUTBOX#<eventId>` / `OUTBOX`: events awaiting the relay (written by the runtime's `outboxPut`).
 */
export const ordersKeys = {
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  card: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'CARD' }),
  idempotency: (userId: string, key: string) => ({ pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'IDEMPOTENCY' }),
  product: (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }),
  /** gsi1 partition of a user's orders. */
  userOrders: (userId: string) => `USER#${userId}`,
  /** gsi1 sort key: newest first when read backwards. */
  userOrderSort: (createdAt: string, orderId: string) => `${createdAt}#${orderId}`,
  /** gsi2 partition of orders waiting for their deadline. */
  pending: 'PENDING',
  /** gsi2 partition of cancelled orders whose compensations are not yet acknowledged. */
  compensating: 'COMPENSATING',
} as const;
