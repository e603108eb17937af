import { MAX_AMOUNT_CENTS } from '@quanta/contracts/common';
import { OrderCancelled, OrderPlaced, type PlaceOrderRequest } from '@quanta/contracts/orders';
import { FacadeUnavailableError } from '@quanta/runtime/errors';
import { describe, expect, it } from 'vitest';
import {
  IdempotencyKeyReusedError,
  MixedCurrenciesError,
  OrderNotFoundError,
  OrderNotPendingError,
  OrderTotalTooLargeError,
  SagaRequestNotSentError,
  UnknownProductError,
} from '../errors';
import { buildTestOrders, VISA } from './fakes/buildTestOrders';

const ALICE = { userId: 'alice' };
const BOB = { userId: 'bob' };
const origin = { correlationId: 'corr-1' };
const body: PlaceOrderRequest = {
  items: [
    { productId: 'p1', quantity: 2 },
    { productId: 'p2', quantity: 1 },
  ],
  card: { ...VISA },
};

describe('OrderService.place', () => {
  it('stores a PENDING order priced by the catalog, its sealed card and OrderPlaced, then sends ReserveStock', async () => {
    // Arrange
    const t = buildTestOrders();

    // Act
    const accepted = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    expect(accepted.status).toBe('PENDING');
    const order = await t.orders.get(accepted.orderId);
    expect(order).toMatchObject({
      userId: 'alice',
      status: 'PENDING',
      step: 'RESERVING',
      totalCents: 3000,
      currency: 'EUR',
      cardLast4: '4242',
      deadline: '2026-05-01T12:02:00.000Z',
      correlationId: 'corr-1',
    });
    expect(order?.items).toEqual([
      { productId: 'p1', name: 'Product p1', quantity: 2, unitPriceCents: 1250 },
      { productId: 'p2', name: 'Product p2', quantity: 1, unitPriceCents: 500 },
    ]);
    const sealed = t.orders.cards.get(accepted.orderId) ?? '';
    expect(sealed).not.toContain(VISA.number);
    expect(await t.vault.open(sealed, accepted.orderId)).toEqual(VISA);
    const [event] = t.orders.events('OrderPlaced');
    expect(OrderPlaced.envelope.parse(event).data).toMatchObject({
      orderId: accepted.orderId,
      totalCents: 3000,
    });
    expect(t.requests.of('ReserveStock')).toEqual([
      {
        type: 'ReserveStock',
        payload: {
          orderId: accepted.orderId,
          items: [
            { productId: 'p1', quantity: 2 },
            { productId: 'p2', quantity: 1 },
          ],
        },
        meta: { correlationId: 'corr-1', deadline: new Date('2026-05-01T12:02:00.000Z') },
      },
    ]);
    expect(t.catalog.calls).toBe(1);
  });

  it('accepts an order whatever stock the catalog shows: the saga decides', async () => {
    // Arrange
    const t = buildTestOrders();
    t.catalog.add('p1', 1250, { available: 0 });

    // Act
    const accepted = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    expect(accepted.status).toBe('PENDING');
  });

  it('answers a replay of the key with the same body with the same order, re-sending ReserveStock while reserving', async () => {
    // Arrange
    const t = buildTestOrders();
    const first = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Act
    const replay = await t.service.place(
      ALICE,
      'key-00000001',
      { ...body, items: [...body.items].reverse() },
      origin,
    );

    // Assert
    expect(replay).toEqual(first);
    expect(t.orders.orders.size).toBe(1);
    expect(t.requests.of('ReserveStock')).toHaveLength(2);
  });

  it('answers a replay with the order’s current status and no new request once it left RESERVING', async () => {
    // Arrange
    const t = buildTestOrders();
    const first = await t.service.place(ALICE, 'key-00000001', body, origin);
    await t.saga.apply(first.orderId, { type: 'StockUnavailable' }, { messageId: 'm-1' });
    t.requests.clear();

    // Act
    const replay = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    expect(replay).toEqual({ orderId: first.orderId, status: 'CANCELLED' });
    expect(t.requests.sent).toEqual([]);
  });

  it('refuses a replay of the key with a different body (422)', async () => {
    // Arrange
    const t = buildTestOrders();
    await t.service.place(ALICE, 'key-00000001', body, origin);

    // Act
    const replay = t.service.place(
      ALICE,
      'key-00000001',
      { ...body, items: [{ productId: 'p1', quantity: 3 }] },
      origin,
    );

    // Assert
    await expect(replay).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(replay).rejects.toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('keeps keys per user: the same key from another user is another order', async () => {
    // Arrange
    const t = buildTestOrders();
    const alices = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Act
    const bobs = await t.service.place(BOB, 'key-00000001', body, origin);

    // Assert
    expect(bobs.orderId).not.toBe(alices.orderId);
  });

  it('creates exactly one order from 50 concurrent requests with one key', async () => {
    // Arrange
    const t = buildTestOrders();

    // Act
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.service.place(ALICE, 'key-00000001', body, origin)),
    );

    // Assert
    expect(new Set(answers.map((a) => a.orderId)).size).toBe(1);
    expect(t.orders.orders.size).toBe(1);
  });

  it('refuses unknown products with 422 UNKNOWN_PRODUCT listing them', async () => {
    // Arrange
    const t = buildTestOrders();

    // Act
    const placing = t.service.place(
      ALICE,
      'key-00000001',
      {
        ...body,
        items: [
          { productId: 'nope', quantity: 1 },
          { productId: 'p1', quantity: 1 },
        ],
      },
      origin,
    );

    // Assert
    await expect(placing).rejects.toBeInstanceOf(UnknownProductError);
    await expect(placing).rejects.toMatchObject({ status: 422, details: { productIds: ['nope'] } });
    expect(t.orders.orders.size).toBe(0);
  });

  it('refuses products priced in different currencies with 422', async () => {
    // Arrange
    const t = buildTestOrders();
    t.catalog.add('p2', 500, { currency: 'USD' });

    // Act
    const placing = t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    await expect(placing).rejects.toBeInstanceOf(MixedCurrenciesError);
  });

  it('refuses with 422 ORDER_TOTAL_TOO_LARGE an order whose total exceeds what one order may carry, storing and sending nothing', async () => {
    // Arrange: the case, a product at 1,000,001 cents ordered 100 times.
    const t = buildTestOrders();
    t.catalog.add('p1', 1_000_001);

    // Act
    const placing = t.service.place(
      ALICE,
      'key-00000001',
      { ...body, items: [{ productId: 'p1', quantity: 100 }] },
      origin,
    );

    // Assert
    await expect(placing).rejects.toBeInstanceOf(OrderTotalTooLargeError);
    await expect(placing).rejects.toMatchObject({
      status: 422,
      code: 'ORDER_TOTAL_TOO_LARGE',
      details: { totalCents: 100_000_100, maxTotalCents: MAX_AMOUNT_CENTS, currency: 'EUR' },
    });
    expect(t.orders.orders.size).toBe(0);
    expect(t.orders.records.size).toBe(0);
    expect(t.requests.of('ReserveStock')).toEqual([]);
  });

  it('refuses the largest order a request can describe (maximum price × quantity × lines) with 422', async () => {
    // Arrange: 20 lines of 100 units at the highest price a product may have.
    const t = buildTestOrders();
    const items = Array.from({ length: 20 }, (_, i) => ({ productId: `max-${i}`, quantity: 100 }));
    for (const item of items) t.catalog.add(item.productId, MAX_AMOUNT_CENTS);

    // Act
    const placing = t.service.place(ALICE, 'key-00000001', { ...body, items }, origin);

    // Assert
    await expect(placing).rejects.toMatchObject({
      status: 422,
      code: 'ORDER_TOTAL_TOO_LARGE',
      details: { totalCents: 20 * 100 * MAX_AMOUNT_CENTS },
    });
    expect(t.orders.orders.size).toBe(0);
  });

  it('accepts an order whose total is exactly the maximum', async () => {
    // Arrange
    const t = buildTestOrders();
    t.catalog.add('p1', MAX_AMOUNT_CENTS / 100);

    // Act
    const accepted = await t.service.place(
      ALICE,
      'key-00000001',
      { ...body, items: [{ productId: 'p1', quantity: 100 }] },
      origin,
    );

    // Assert
    expect(accepted.status).toBe('PENDING');
    expect((await t.orders.get(accepted.orderId))?.totalCents).toBe(MAX_AMOUNT_CENTS);
    expect(OrderPlaced.envelope.parse(t.orders.events('OrderPlaced')[0]).data.totalCents).toBe(
      MAX_AMOUNT_CENTS,
    );
  });

  it('answers a replay of an order placed before a price rise with the order, not with 422', async () => {
    // Arrange
    const t = buildTestOrders();
    const single = { ...body, items: [{ productId: 'p1', quantity: 100 }] };
    const first = await t.service.place(ALICE, 'key-00000001', single, origin);
    t.catalog.add('p1', MAX_AMOUNT_CENTS);

    // Act
    const replay = await t.service.place(ALICE, 'key-00000001', single, origin);

    // Assert
    expect(replay.orderId).toBe(first.orderId);
  });

  it('fails with the facade’s 503 when the catalog is down, and stores nothing', async () => {
    // Arrange
    const t = buildTestOrders();
    t.catalog.down = true;

    // Act
    const placing = t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    await expect(placing).rejects.toBeInstanceOf(FacadeUnavailableError);
    await expect(placing).rejects.toMatchObject({ status: 503 });
    expect(t.orders.orders.size).toBe(0);
  });

  it('answers a replay without the catalog when the catalog is down', async () => {
    // Arrange
    const t = buildTestOrders();
    const first = await t.service.place(ALICE, 'key-00000001', body, origin);
    t.catalog.down = true;

    // Act
    const replay = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    expect(replay.orderId).toBe(first.orderId);
  });

  it('answers 503 when ReserveStock cannot be sent, and the replay of the key sends it', async () => {
    // Arrange
    const t = buildTestOrders();
    t.requests.failNext('ReserveStock');

    // Act
    const failed = await t.service.place(ALICE, 'key-00000001', body, origin).catch((e: unknown) => e);
    const replay = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Assert
    expect(failed).toBeInstanceOf(SagaRequestNotSentError);
    expect(failed).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(t.orders.orders.size).toBe(1);
    expect(t.requests.of('ReserveStock', replay.orderId)).toHaveLength(1);
  });
});

describe('OrderService.get and list', () => {
  it('shows the owner their order with the current product names, falling back to the placement name', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, origin);
    await t.names.rename('p1', 'Blue mug', 2);

    // Act
    const order = await t.service.get(ALICE, orderId);

    // Assert
    expect(order.items.map((i) => i.name)).toEqual(['Blue mug', 'Product p2']);
    expect(order).not.toHaveProperty('reason');
  });

  it('answers 404 to anyone but the owner, exactly as for an unknown order', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Act
    const bobReads = t.service.get(BOB, orderId);
    const unknown = t.service.get(ALICE, 'no-such-order');

    // Assert
    await expect(bobReads).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(unknown).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('lists only the caller’s orders, newest first, a page at a time', async () => {
    // Arrange
    const t = buildTestOrders();
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) {
      placed.push((await t.service.place(ALICE, `key-0000000${i}`, body, origin)).orderId);
      t.clock.advance(1);
    }
    await t.service.place(BOB, 'key-bob-0001', body, origin);

    // Act
    const first = await t.service.list(ALICE, { limit: 2 });
    const second = await t.service.list(ALICE, { limit: 2, cursor: first.nextCursor });
    const third = await t.service.list(ALICE, { limit: 2, cursor: second.nextCursor });

    // Assert
    const ids = [...first.items, ...second.items, ...third.items].map((o) => o.orderId);
    expect(ids).toEqual([...placed].reverse());
    expect(third.nextCursor).toBeUndefined();
  });
});

describe('OrderService.cancel', () => {
  it('cancels a pending order, publishes OrderCancelled and sends both compensations', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Act
    const accepted = await t.service.cancel(ALICE, orderId);

    // Assert
    expect(accepted).toEqual({ orderId, status: 'CANCELLED' });
    expect(OrderCancelled.envelope.parse(t.orders.events('OrderCancelled')[0]).data.reason).toBe(
      'CANCELLED_BY_CUSTOMER',
    );
    expect(t.requests.of('ReleaseStock', orderId)).toHaveLength(1);
    expect(t.requests.of('RefundPayment', orderId)).toHaveLength(1);
    expect(t.orders.cards.has(orderId)).toBe(false);
  });

  it('answers 409 ORDER_NOT_PENDING for an order that is no longer pending', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, origin);
    await t.service.cancel(ALICE, orderId);

    // Act
    const again = t.service.cancel(ALICE, orderId);

    // Assert
    await expect(again).rejects.toBeInstanceOf(OrderNotPendingError);
    await expect(again).rejects.toMatchObject({ status: 409, code: 'ORDER_NOT_PENDING' });
  });

  it('answers 404 when someone else tries to cancel, and changes nothing', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, origin);

    // Act
    const cancelling = t.service.cancel(BOB, orderId);

    // Assert
    await expect(cancelling).rejects.toBeInstanceOf(OrderNotFoundError);
    expect((await t.orders.get(orderId))?.status).toBe('PENDING');
  });

  it('still cancels when the compensations cannot be sent now, leaving them to the sweep', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, origin);
    t.requests.failNext('ReleaseStock');
    t.requests.failNext('RefundPayment');

    // Act
    const accepted = await t.service.cancel(ALICE, orderId);
    t.clock.advance(61);
    const summary = await t.sweeper.sweep();

    // Assert
    expect(accepted.status).toBe('CANCELLED');
    expect(summary.compensationsResent).toBe(1);
    expect(t.requests.of('ReleaseStock', orderId)).toHaveLength(1);
    expect(t.requests.of('RefundPayment', orderId)).toHaveLength(1);
  });
});
