import { OrderCancelled, OrderConfirmed, type PlaceOrderRequest } from '@quanta/contracts/orders';
import { describe, expect, it } from 'vitest';
import { OrderContendedError, SagaRequestNotSentError } from '../errors';
import { buildTestOrders, VISA } from './fakes/buildTestOrders';

const ALICE = { userId: 'alice' };
const body: PlaceOrderRequest = { items: [{ productId: 'p1', quantity: 2 }], card: { ...VISA } };

async function placed() {
  const t = buildTestOrders();
  const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'corr-1' });
  t.requests.clear();
  return { ...t, orderId };
}

describe('SagaCoordinator: the orchestrated saga', () => {
  it('runs reserve -> authorize -> CONFIRMED, sending the opened card once and deleting it after', async () => {
    // Arrange
    const t = await placed();

    // Act
    await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });
    const authorize = t.requests.of('AuthorizePayment', t.orderId);
    await t.saga.apply(t.orderId, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { messageId: 'm-2' });

    // Assert
    expect(authorize).toHaveLength(1);
    expect(authorize[0]?.payload).toEqual({
      orderId: t.orderId,
      amountCents: 2500,
      currency: 'EUR',
      card: VISA,
    });
    expect(authorize[0]?.meta.deadline).toEqual(new Date('2026-05-01T12:02:00.000Z'));
    const order = await t.orders.get(t.orderId);
    expect(order).toMatchObject({ status: 'CONFIRMED', step: 'DONE', paymentId: 'pay-1' });
    expect(t.orders.cards.has(t.orderId)).toBe(false);
    const confirmed = OrderConfirmed.envelope.parse(t.orders.events('OrderConfirmed')[0]);
    expect(confirmed).toMatchObject({
      correlationId: 'corr-1',
      causationId: 'm-2',
      data: { paymentId: 'pay-1', totalCents: 2500 },
    });
  });

  it('cancels OUT_OF_STOCK without compensations when the catalog has no stock', async () => {
    // Arrange
    const t = await placed();

    // Act
    const outcome = await t.saga.apply(t.orderId, { type: 'StockUnavailable' }, { messageId: 'm-1' });

    // Assert
    expect(outcome.kind).toBe('COMMITTED');
    expect(await t.orders.get(t.orderId)).toMatchObject({
      status: 'CANCELLED',
      reason: 'OUT_OF_STOCK',
      step: 'DONE',
    });
    expect(t.requests.sent).toEqual([]);
    expect(t.orders.cards.has(t.orderId)).toBe(false);
    expect(OrderCancelled.envelope.parse(t.orders.events('OrderCancelled')[0]).data.reason).toBe(
      'OUT_OF_STOCK',
    );
  });

  it('cancels on a decline, releases the stock with a long deadline, and finishes when the release is acknowledged', async () => {
    // Arrange
    const t = await placed();
    await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Act
    await t.saga.apply(
      t.orderId,
      { type: 'PaymentDeclined', reason: 'INSUFFICIENT_FUNDS' },
      { messageId: 'm-2' },
    );
    const release = t.requests.of('ReleaseStock', t.orderId);
    await t.saga.apply(t.orderId, { type: 'StockReleased' }, { messageId: 'm-3' });

    // Assert
    expect(release).toHaveLength(1);
    expect(release[0]?.meta.deadline).toEqual(new Date('2026-05-02T12:00:00.000Z'));
    expect(await t.orders.get(t.orderId)).toMatchObject({
      status: 'CANCELLED',
      reason: 'INSUFFICIENT_FUNDS',
      step: 'DONE',
      compensations: { stock: 'DONE', payment: 'NONE' },
    });
  });
});

describe('SagaCoordinator: at-least-once and crashes', () => {
  it('commits first and throws when the send fails; the redelivery re-sends without a second transition', async () => {
    // Arrange
    const t = await placed();
    t.requests.failNext('AuthorizePayment');

    // Act
    const first = await t.saga
      .apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' })
      .catch((e: unknown) => e);
    const afterCrash = await t.orders.get(t.orderId);
    const redelivery = await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Assert
    expect(first).toBeInstanceOf(SagaRequestNotSentError);
    expect(afterCrash).toMatchObject({ step: 'AUTHORIZING', version: 2 });
    expect(redelivery.kind).toBe('SENT');
    expect((await t.orders.get(t.orderId))?.version).toBe(2);
    expect(t.requests.of('AuthorizePayment', t.orderId)).toHaveLength(1);
  });

  it('ignores a duplicate reply from catalog without sending anything again', async () => {
    // Arrange
    const t = await placed();
    await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Act
    const duplicate = await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-2' });

    // Assert
    expect(duplicate.kind).toBe('IGNORED');
    expect(t.requests.of('AuthorizePayment', t.orderId)).toHaveLength(1);
  });

  it('reloads and decides again when another writer wins the race for the order', async () => {
    // Arrange
    const t = await placed();
    let raced = false;
    t.orders.beforeCommit = async () => {
      if (raced) return;
      raced = true;
      // The customer cancels between this step's read and its write.
      await t.service.cancel(ALICE, t.orderId);
    };

    // Act
    const outcome = await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Assert
    expect(outcome).toMatchObject({ kind: 'SENT', sent: ['ReleaseStock'] });
    expect(await t.orders.get(t.orderId)).toMatchObject({
      status: 'CANCELLED',
      reason: 'CANCELLED_BY_CUSTOMER',
    });
    expect(t.requests.of('AuthorizePayment')).toEqual([]);
  });

  it('lets exactly one of many concurrent signals transition the order', async () => {
    // Arrange
    const t = await placed();
    await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });
    t.clock.advance(121);

    // Act
    const outcomes = await Promise.all([
      t.saga.apply(t.orderId, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { messageId: 'm-2' }),
      t.saga.apply(t.orderId, { type: 'DeadlinePassed' }, { messageId: 'sweep-1' }),
      t.saga.apply(t.orderId, { type: 'CancelRequested' }, { messageId: 'cancel-1' }),
    ]);

    // Assert
    expect(outcomes.filter((o) => o.kind === 'COMMITTED')).toHaveLength(1);
    const final = await t.orders.get(t.orderId);
    expect(final?.version).toBe(3);
    expect(t.orders.events('OrderConfirmed').length + t.orders.events('OrderCancelled').length).toBe(1);
  });

  it('gives up with a retryable error when the order keeps changing under it', async () => {
    // Arrange
    const t = await placed();
    t.orders.beforeCommit = (change) => {
      const current = t.orders.orders.get(change.next.orderId);
      if (current !== undefined)
        t.orders.orders.set(current.orderId, { ...current, version: current.version + 1 });
    };

    // Act
    const applying = t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Assert
    await expect(applying).rejects.toBeInstanceOf(OrderContendedError);
  });

  it('acknowledges a reply about an unknown order without doing anything', async () => {
    // Arrange
    const t = buildTestOrders();

    // Act
    const outcome = await t.saga.apply('ghost', { type: 'StockReserved' }, { messageId: 'm-1' });

    // Assert
    expect(outcome).toEqual({ kind: 'UNKNOWN_ORDER' });
    expect(t.requests.sent).toEqual([]);
  });

  it('reads the order and its sealed card in one call on StockReserved, and no card on the next reply', async () => {
    // Arrange
    const t = await placed();
    t.orders.reads.length = 0;

    // Act
    await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });
    const onReserved = [...t.orders.reads];
    await t.saga.apply(t.orderId, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { messageId: 'm-2' });

    // Assert
    expect(onReserved).toEqual(['getWithSealedCard']);
    expect(t.orders.reads).toEqual(['getWithSealedCard', 'get']);
    expect(t.requests.of('AuthorizePayment', t.orderId)[0]?.payload.card).toEqual(VISA);
  });

  it('re-sends AuthorizePayment on a redelivered StockReserved with the card read alongside the order', async () => {
    // Arrange
    const t = await placed();
    await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });
    t.orders.reads.length = 0;

    // Act
    const outcome = await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Assert
    expect(outcome).toMatchObject({ kind: 'SENT', sent: ['AuthorizePayment'] });
    expect(t.orders.reads).toEqual(['getWithSealedCard']);
    const authorize = t.requests.of('AuthorizePayment', t.orderId);
    expect(authorize).toHaveLength(2);
    expect(authorize[1]?.payload.card).toEqual(VISA);
  });

  it('does not ask for a payment when the card is no longer kept (past its deadline)', async () => {
    // Arrange
    const t = await placed();
    t.orders.cards.delete(t.orderId);

    // Act
    const outcome = await t.saga.apply(t.orderId, { type: 'StockReserved' }, { messageId: 'm-1' });

    // Assert
    expect(outcome.kind).toBe('COMMITTED');
    expect(t.requests.of('AuthorizePayment')).toEqual([]);
  });
});

describe('DeadlineSweeper', () => {
  it('cancels only PENDING orders past their deadline, with TIMEOUT, and sends both compensations', async () => {
    // Arrange
    const t = buildTestOrders();
    const early = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c1' });
    const done = await t.service.place(ALICE, 'key-00000002', body, { correlationId: 'c2' });
    await t.saga.apply(done.orderId, { type: 'StockUnavailable' }, { messageId: 'm-1' });
    t.clock.advance(60);
    const late = await t.service.place(ALICE, 'key-00000003', body, { correlationId: 'c3' });
    t.clock.advance(61);
    t.requests.clear();

    // Act
    const summary = await t.sweeper.sweep();

    // Assert
    expect(summary).toEqual({ timedOut: 1, compensationsResent: 0, skipped: 0, failed: 0 });
    expect(await t.orders.get(early.orderId)).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT' });
    expect((await t.orders.get(late.orderId))?.status).toBe('PENDING');
    expect((await t.orders.get(done.orderId))?.reason).toBe('OUT_OF_STOCK');
    expect(t.requests.sent.map((r) => r.type).sort()).toEqual(['RefundPayment', 'ReleaseStock']);
  });

  it('handles at most its batch limit per run, leaving the rest to the next', async () => {
    // Arrange
    const t = buildTestOrders();
    for (let i = 0; i < 5; i++) await t.service.place(ALICE, `key-0000000${i}`, body, { correlationId: 'c' });
    t.clock.advance(121);
    const { DeadlineSweeper } = await import('../service/DeadlineSweeper');
    const sweeper = new DeadlineSweeper({
      orders: t.orders,
      saga: t.saga,
      batchLimit: 3,
      now: () => t.clock.now,
    });

    // Act
    const first = await sweeper.sweep();
    const second = await sweeper.sweep();

    // Assert
    expect(first.timedOut).toBe(3);
    expect(second.timedOut).toBe(2);
  });

  it('re-sends compensations nobody acknowledged, with backoff, until the replies arrive', async () => {
    // Arrange
    const t = buildTestOrders();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    t.clock.advance(121);
    await t.sweeper.sweep();
    t.requests.clear();

    // Act
    t.clock.advance(30);
    const tooEarly = await t.sweeper.sweep();
    t.clock.advance(31);
    const retried = await t.sweeper.sweep();
    await t.saga.apply(orderId, { type: 'StockReleased' }, { messageId: 'r-1' });
    await t.saga.apply(orderId, { type: 'PaymentRefunded' }, { messageId: 'r-2' });
    t.clock.advance(3600);
    const afterReplies = await t.sweeper.sweep();

    // Assert
    expect(tooEarly.compensationsResent).toBe(0);
    expect(retried.compensationsResent).toBe(1);
    expect(afterReplies.compensationsResent).toBe(0);
    expect(t.requests.sent.map((r) => r.type).sort()).toEqual(['RefundPayment', 'ReleaseStock']);
    expect(await t.orders.get(orderId)).toMatchObject({ step: 'DONE', compensationAttempts: 1 });
  });

  it('stops early when asked to and keeps going past an order that fails', async () => {
    // Arrange
    const t = buildTestOrders();
    for (let i = 0; i < 3; i++) await t.service.place(ALICE, `key-0000000${i}`, body, { correlationId: 'c' });
    t.clock.advance(121);
    const get = t.orders.get.bind(t.orders);
    let calls = 0;
    t.orders.get = async (id) => {
      if (++calls === 1) throw new Error('DynamoDB throttled');
      return get(id);
    };

    // Act
    const summary = await t.sweeper.sweep();
    const stopped = await t.sweeper.sweep({ shouldStop: () => true });

    // Assert
    expect(summary).toMatchObject({ timedOut: 2, failed: 1 });
    expect(stopped).toMatchObject({ timedOut: 0, failed: 0 });
  });
});
