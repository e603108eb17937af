import { randomUUID } from 'node:crypto';
import { messageBatchHandler } from '@quanta/runtime/messaging';
import { lambdaContext, RecordingReplySender, testObservability } from '@quanta/runtime/testing';
import { describe, expect, it } from 'vitest';
import { requestHandlers } from '../functions/requestHandlers';
import { StockReservations } from '../service/StockReservations';
import { InMemoryStockLedger } from './fakes/InMemoryStockLedger';
import { sqsEventOf } from './fakes/sqsEventOf';

function setup(stock: Record<string, number> = { p1: 5 }) {
  const ledger = new InMemoryStockLedger();
  for (const [id, units] of Object.entries(stock)) ledger.stock.set(id, units);
  const replies = new RecordingReplySender();
  const handler = messageBatchHandler({
    handlers: requestHandlers(new StockReservations({ ledger }), replies),
    observability: testObservability('catalog'),
  });
  const deliver = (...bodies: string[]) => handler(sqsEventOf(bodies), lambdaContext());
  return { ledger, replies, deliver };
}

function request(type: string, payload: unknown, deadline = new Date(Date.now() + 60_000)): string {
  return JSON.stringify({
    messageId: randomUUID(),
    correlationId: 'order-saga-1',
    replyTo: 'orders',
    deadline: deadline.toISOString(),
    type,
    version: 1,
    payload,
  });
}

describe('catalog request handlers', () => {
  it('reserve and reply StockReserved to the requester, keeping the correlation id', async () => {
    // Arrange
    const { ledger, replies, deliver } = setup();

    // Act
    const result = await deliver(
      request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 2 }] }),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(ledger.stock.get('p1')).toBe(3);
    expect(replies.replies).toEqual([
      expect.objectContaining({ type: 'StockReserved', payload: { orderId: 'o1' } }),
    ]);
    expect(replies.replies[0]?.request).toMatchObject({ correlationId: 'order-saga-1', replyTo: 'orders' });
  });

  it('reply StockUnavailable naming the short products', async () => {
    // Arrange
    const { replies, deliver } = setup();

    // Act
    await deliver(request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 6 }] }));

    // Assert
    expect(replies.replies[0]).toMatchObject({
      type: 'StockUnavailable',
      payload: { orderId: 'o1', productIds: ['p1'], reason: 'OUT_OF_STOCK' },
    });
  });

  it('neither act on nor answer a ReserveStock past its deadline', async () => {
    // Arrange
    const { ledger, replies, deliver } = setup();

    // Act
    const result = await deliver(
      request(
        'ReserveStock',
        { orderId: 'o1', items: [{ productId: 'p1', quantity: 1 }] },
        new Date(Date.now() - 1),
      ),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(replies.replies).toEqual([]);
    expect(ledger.stock.get('p1')).toBe(5);
  });

  it('answer ReleaseStock with released: true once stock is back, and false for an order with none', async () => {
    // Arrange
    const { ledger, replies, deliver } = setup();
    await deliver(request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 2 }] }));

    // Act
    await deliver(request('ReleaseStock', { orderId: 'o1' }), request('ReleaseStock', { orderId: 'o2' }));

    // Assert
    expect(ledger.stock.get('p1')).toBe(5);
    expect(replies.replies.slice(1)).toEqual([
      expect.objectContaining({ type: 'StockReleased', payload: { orderId: 'o1', released: true } }),
      expect.objectContaining({ type: 'StockReleased', payload: { orderId: 'o2', released: false } }),
    ]);
  });

  it('neither reserve nor answer a ReserveStock for an order released before it', async () => {
    // Arrange
    const { ledger, replies, deliver } = setup();
    await deliver(request('ReleaseStock', { orderId: 'o1' }));

    // Act
    await deliver(request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 1 }] }));

    // Assert
    expect(ledger.stock.get('p1')).toBe(5);
    expect(replies.replies.map((r) => r.type)).toEqual(['StockReleased']);
  });

  it('report poison messages as failed and still process the rest of the batch', async () => {
    // Arrange
    const { replies, deliver } = setup();

    // Act
    const result = await deliver(
      'not json',
      request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 0 }] }),
      request('ReserveStock', { orderId: 'o2', items: [] }),
      request('ShipOrder', { orderId: 'o3' }),
      request('ReserveStock', { orderId: 'o4', items: [{ productId: 'p1', quantity: 1 }] }),
    );

    // Assert
    expect(result.batchItemFailures).toHaveLength(4);
    expect(replies.replies.map((r) => r.payload)).toEqual([{ orderId: 'o4' }]);
  });

  it('retry a message whose reply could not be sent, and answer the stored decision again', async () => {
    // Arrange
    const { ledger, replies, deliver } = setup();
    const body = request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 2 }] });
    replies.failNext = 1;

    // Act
    const first = await deliver(body);
    const redelivery = await deliver(body);

    // Assert
    expect(first.batchItemFailures).toHaveLength(1);
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(ledger.stock.get('p1')).toBe(3);
    expect(replies.replies.map((r) => r.type)).toEqual(['StockReserved']);
  });

  it('retry, never answer, a reservation that keeps losing races', async () => {
    // Arrange
    const { ledger, replies, deliver } = setup({ p1: 10 });
    ledger.beforeReserve = (lines) => ledger.stock.set('p1', lines[0]?.depletes ? 11 : 10);

    // Act
    const result = await deliver(
      request('ReserveStock', { orderId: 'o1', items: [{ productId: 'p1', quantity: 10 }] }),
    );

    // Assert
    expect(result.batchItemFailures).toHaveLength(1);
    expect(replies.replies).toEqual([]);
  });
});
