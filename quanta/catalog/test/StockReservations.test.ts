import { StockDepleted } from '@quanta/contracts/catalog';
import { describe, expect, it } from 'vitest';
import { StockContentionError } from '../errors';
import { StockReservations } from '../service/StockReservations';
import { InMemoryStockLedger } from './fakes/InMemoryStockLedger';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const inAMinute = new Date(NOW + 60_000);

function setup(stock: Record<string, number> = { a: 10, b: 3 }) {
  const ledger = new InMemoryStockLedger();
  for (const [id, units] of Object.entries(stock)) ledger.stock.set(id, units);
  const reservations = new StockReservations({ ledger, now: () => new Date(NOW) });
  return { ledger, reservations };
}

function reserveRequest(orderId: string, items: { productId: string; quantity: number }[]) {
  return {
    orderId,
    items,
    deadline: inAMinute,
    correlationId: `corr-${orderId}`,
    causationId: `msg-${orderId}`,
  };
}

describe('StockReservations.reserve', () => {
  it('takes every line and records the reservation', async () => {
    // Arrange
    const { ledger, reservations } = setup();

    // Act
    const outcome = await reservations.reserve(
      reserveRequest('o1', [
        { productId: 'a', quantity: 4 },
        { productId: 'b', quantity: 1 },
      ]),
    );

    // Assert
    expect(outcome).toEqual({ kind: 'RESERVED', duplicate: false });
    expect(Object.fromEntries(ledger.stock)).toEqual({ a: 6, b: 2 });
    expect(ledger.reservations.get('o1')).toMatchObject({ status: 'RESERVED' });
    expect(ledger.outbox).toEqual([]);
  });

  it('takes nothing when one line is short, and names the short product', async () => {
    // Arrange
    const { ledger, reservations } = setup();

    // Act
    const outcome = await reservations.reserve(
      reserveRequest('o1', [
        { productId: 'a', quantity: 4 },
        { productId: 'b', quantity: 4 },
      ]),
    );

    // Assert
    expect(outcome).toEqual({ kind: 'UNAVAILABLE', productIds: ['b'], reason: 'OUT_OF_STOCK' });
    expect(Object.fromEntries(ledger.stock)).toEqual({ a: 10, b: 3 });
  });

  it('refuses an unknown product with UNKNOWN_PRODUCT', async () => {
    // Arrange
    const { reservations } = setup();

    // Act
    const outcome = await reservations.reserve(reserveRequest('o1', [{ productId: 'ghost', quantity: 1 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'UNAVAILABLE', productIds: ['ghost'], reason: 'UNKNOWN_PRODUCT' });
  });

  it('emits StockDepleted for the product it empties, caused by the request message', async () => {
    // Arrange
    const { ledger, reservations } = setup();

    // Act
    await reservations.reserve(
      reserveRequest('o1', [
        { productId: 'b', quantity: 2 },
        { productId: 'b', quantity: 1 },
      ]),
    );

    // Assert
    expect(ledger.stock.get('b')).toBe(0);
    const event = StockDepleted.envelope.parse(ledger.outbox[0]);
    expect(event.data).toEqual({ productId: 'b' });
    expect(event).toMatchObject({ correlationId: 'corr-o1', causationId: 'msg-o1' });
  });

  it('answers a duplicate request again without taking stock twice', async () => {
    // Arrange
    const { ledger, reservations } = setup();
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 4 }]));

    // Act
    const again = await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 4 }]));

    // Assert
    expect(again).toEqual({ kind: 'RESERVED', duplicate: true });
    expect(ledger.stock.get('a')).toBe(6);
  });

  it('answers a duplicate of a refused request with the same refusal, even after a restock', async () => {
    // Arrange
    const { ledger, reservations } = setup();
    await reservations.reserve(reserveRequest('o1', [{ productId: 'b', quantity: 5 }]));
    ledger.stock.set('b', 100);

    // Act
    const again = await reservations.reserve(reserveRequest('o1', [{ productId: 'b', quantity: 5 }]));

    // Assert
    expect(again).toEqual({ kind: 'UNAVAILABLE', productIds: ['b'], reason: 'OUT_OF_STOCK' });
    expect(ledger.stock.get('b')).toBe(100);
  });

  it('does not act on a request past its deadline', async () => {
    // Arrange
    const { ledger, reservations } = setup();

    // Act
    const outcome = await reservations.reserve({
      ...reserveRequest('o1', [{ productId: 'a', quantity: 1 }]),
      deadline: new Date(NOW - 1),
    });

    // Assert
    expect(outcome).toEqual({ kind: 'EXPIRED' });
    expect(ledger.stock.get('a')).toBe(10);
    expect(ledger.reservations.size).toBe(0);
  });

  it('does not reserve for an order that was released first', async () => {
    // Arrange
    const { ledger, reservations } = setup();
    await reservations.release({ orderId: 'o1', correlationId: 'corr-o1' });

    // Act
    const outcome = await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'RELEASED' });
    expect(ledger.stock.get('a')).toBe(10);
  });

  it('reserves in one write when there is enough stock', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 10 });

    // Act
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 3 }]));

    // Assert
    expect(ledger.reserveCalls).toBe(1);
  });

  it('re-plans from what a rejected write found: the last unit goes with StockDepleted', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 1 });

    // Act
    const outcome = await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'RESERVED', duplicate: false });
    expect(ledger.reserveCalls).toBe(2);
    expect(ledger.stock.get('a')).toBe(0);
    expect(StockDepleted.envelope.parse(ledger.outbox[0]).data.productId).toBe('a');
  });

  it('fails with a retryable StockContentionError when every round loses a race', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 10 });
    // Whatever it planned with ("exactly 10" or "more than 10"), the stock is the other when it writes.
    ledger.beforeReserve = (lines) => ledger.stock.set('a', lines[0]?.depletes ? 11 : 10);

    // Act
    const outcome = reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 10 }]));

    // Assert
    await expect(outcome).rejects.toBeInstanceOf(StockContentionError);
    expect(ledger.reservations.size).toBe(0);
  });
});

describe('StockReservations, after seeing a product short', () => {
  it('refuses the next order for a product it emptied after one read and no write', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 1 });
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));
    const writesBefore = ledger.reserveCalls;

    // Act
    const outcome = await reservations.reserve(reserveRequest('o2', [{ productId: 'a', quantity: 1 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'UNAVAILABLE', productIds: ['a'], reason: 'OUT_OF_STOCK' });
    expect(ledger.reserveCalls).toBe(writesBefore);
    expect(ledger.stockReads).toBe(1);
    expect(ledger.reservations.get('o2')).toMatchObject({ status: 'UNAVAILABLE' });
  });

  it('refuses later orders for a sold-out product with a read each instead of a write each', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 0 });
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));

    // Act
    const outcomes = [];
    for (const orderId of ['o2', 'o3', 'o4'])
      outcomes.push(await reservations.reserve(reserveRequest(orderId, [{ productId: 'a', quantity: 1 }])));

    // Assert
    expect(outcomes.map((o) => o.kind)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
    expect(ledger.reserveCalls).toBe(1);
    expect(ledger.stockReads).toBe(3);
  });

  it('reserves from a product restocked behind its back, as the read shows', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 0 });
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));
    ledger.stock.set('a', 5);

    // Act
    const outcome = await reservations.reserve(reserveRequest('o2', [{ productId: 'a', quantity: 2 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'RESERVED', duplicate: false });
    expect(ledger.stock.get('a')).toBe(3);
  });

  it('goes back to writing without a read once a read found enough stock', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 0 });
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));
    ledger.stock.set('a', 5);
    await reservations.reserve(reserveRequest('o2', [{ productId: 'a', quantity: 1 }]));
    const readsBefore = ledger.stockReads;

    // Act
    const outcome = await reservations.reserve(reserveRequest('o3', [{ productId: 'a', quantity: 1 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'RESERVED', duplicate: false });
    expect(ledger.stockReads).toBe(readsBefore);
  });

  it('does not read before writing for a product whose stock it gave back', async () => {
    // Arrange
    const { ledger, reservations } = setup({ a: 1 });
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 1 }]));
    await reservations.release({ orderId: 'o1', correlationId: 'corr-o1' });

    // Act
    const outcome = await reservations.reserve(reserveRequest('o2', [{ productId: 'a', quantity: 1 }]));

    // Assert
    expect(outcome).toEqual({ kind: 'RESERVED', duplicate: false });
    expect(ledger.stockReads).toBe(0);
  });

  it('forgets the least recently seen product beyond rememberedProducts', async () => {
    // Arrange
    const ledger = new InMemoryStockLedger();
    for (const id of ['a', 'b', 'c']) ledger.stock.set(id, 0);
    const reservations = new StockReservations({ ledger, now: () => new Date(NOW), rememberedProducts: 2 });
    for (const [orderId, productId] of [
      ['o1', 'a'],
      ['o2', 'b'],
      ['o3', 'c'],
    ] as const)
      await reservations.reserve(reserveRequest(orderId, [{ productId, quantity: 1 }]));
    const writesBefore = ledger.reserveCalls;

    // Act
    await reservations.reserve(reserveRequest('o4', [{ productId: 'a', quantity: 1 }]));
    await reservations.reserve(reserveRequest('o5', [{ productId: 'c', quantity: 1 }]));

    // Assert: 'a' was forgotten (written again), 'c' was remembered (read instead).
    expect(ledger.reserveCalls).toBe(writesBefore + 1);
    expect(ledger.stockReads).toBe(1);
  });
});

describe('StockReservations.release', () => {
  it('gives the reserved stock back once, however often it is asked', async () => {
    // Arrange
    const { ledger, reservations } = setup();
    await reservations.reserve(reserveRequest('o1', [{ productId: 'a', quantity: 4 }]));

    // Act
    const first = await reservations.release({ orderId: 'o1', correlationId: 'c' });
    const second = await reservations.release({ orderId: 'o1', correlationId: 'c' });

    // Assert
    expect(first).toEqual({ released: true });
    expect(second).toEqual({ released: true });
    expect(ledger.stock.get('a')).toBe(10);
  });

  it('leaves a tombstone when nothing was reserved', async () => {
    // Arrange
    const { ledger, reservations } = setup();

    // Act
    const outcome = await reservations.release({ orderId: 'o1', correlationId: 'c' });

    // Assert
    expect(outcome).toEqual({ released: false });
    expect(ledger.reservations.get('o1')).toMatchObject({ status: 'RELEASED', stockReturned: false });
  });

  it('answers released: false for a refused reservation', async () => {
    // Arrange
    const { ledger, reservations } = setup();
    await reservations.reserve(reserveRequest('o1', [{ productId: 'b', quantity: 50 }]));

    // Act
    const outcome = await reservations.release({ orderId: 'o1', correlationId: 'c' });

    // Assert
    expect(outcome).toEqual({ released: false });
    expect(ledger.stock.get('b')).toBe(3);
  });
});
