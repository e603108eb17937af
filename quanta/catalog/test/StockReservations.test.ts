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
