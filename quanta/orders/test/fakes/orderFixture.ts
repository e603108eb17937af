import type { Order } from '../../domain/Order';

/** A PENDING/RESERVING order placed at 12:00:00 with a 12:02:00 deadline, with `changes` applied. */
export function orderFixture(changes: Partial<Order> = {}): Order {
  return {
    orderId: 'o-1',
    userId: 'u-1',
    status: 'PENDING',
    step: 'RESERVING',
    items: [{ productId: 'p1', name: 'Mug', quantity: 2, unitPriceCents: 1250 }],
    totalCents: 2500,
    currency: 'EUR',
    cardLast4: '4242',
    createdAt: '2026-05-01T12:00:00.000Z',
    updatedAt: '2026-05-01T12:00:00.000Z',
    deadline: '2026-05-01T12:02:00.000Z',
    correlationId: 'corr-1',
    idempotencyKey: 'key-00000001',
    compensations: { stock: 'NONE', payment: 'NONE' },
    compensationAttempts: 0,
    lastCommands: ['ReserveStock'],
    version: 1,
    ...changes,
  };
}
