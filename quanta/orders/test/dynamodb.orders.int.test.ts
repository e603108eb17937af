import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrderPlaced, type PlaceOrderRequest } from '@quanta/contracts/orders';
import { type DynamoDbLocal, dynamoDbClientFor, useDynamoDbLocal } from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOrderRepository } from '../adapters/DynamoDbOrderRepository';
import { DynamoDbProductNameRepository } from '../adapters/DynamoDbProductNameRepository';
import { decideSaga } from '../domain/decideSaga';
import { InvalidCursorError, OrderNotFoundError } from '../errors';
import { buildTestOrders, VISA } from './fakes/buildTestOrders';
import { createOrdersTable, scanAll } from './fakes/createOrdersTable';

let db: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

const ALICE = { userId: 'alice' };
const BOB = { userId: 'bob' };
const body: PlaceOrderRequest = { items: [{ productId: 'p1', quantity: 2 }], card: { ...VISA } };

/** orders' services on a fresh real table. */
async function ordersOnTable() {
  const tableName = await createOrdersTable(client);
  const table = { client, tableName, ttlAttribute: 'expiresAt' };
  const repository = new DynamoDbOrderRepository(table);
  const t = buildTestOrders({ orders: repository, names: new DynamoDbProductNameRepository(table) });
  return { ...t, tableName, scan: () => scanAll(client, tableName) };
}

describe('DynamoDbOrderRepository: placement', () => {
  it('creates exactly one order from 50 concurrent requests with one Idempotency-Key', async () => {
    // Arrange
    const t = await ordersOnTable();

    // Act
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' })),
    );

    // Assert
    const orderIds = new Set(answers.map((a) => a.orderId));
    expect(orderIds.size).toBe(1);
    const items = await t.scan();
    expect(items.filter((i) => i.sk === 'ORDER')).toHaveLength(1);
    expect(items.filter((i) => i.sk === 'IDEMPOTENCY')).toHaveLength(1);
    expect(items.filter((i) => i.sk === 'CARD')).toHaveLength(1);
    const events = items
      .filter((i) => i.sk === 'OUTBOX')
      .map((i) => OrderPlaced.envelope.parse(JSON.parse(String(i.envelope))));
    expect(events.map((e) => e.data.orderId)).toEqual([...orderIds]);
  });

  it('writes the order with its indexes, the sealed card with the deadline as TTL, and never the card number', async () => {
    // Arrange
    const t = await ordersOnTable();

    // Act
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });

    // Assert
    const items = await t.scan();
    const order = items.find((i) => i.sk === 'ORDER');
    expect(order).toMatchObject({
      pk: `ORDER#${orderId}`,
      gsi1pk: 'USER#alice',
      gsi1sk: `2026-05-01T12:00:00.000Z#${orderId}`,
      gsi2pk: 'PENDING',
      gsi2sk: `2026-05-01T12:02:00.000Z#${orderId}`,
      cardLast4: '4242',
    });
    const card = items.find((i) => i.sk === 'CARD');
    expect(card?.expiresAt).toBe(Date.parse('2026-05-01T12:02:00.000Z') / 1000);
    expect(String(card?.sealed)).toMatch(/^local:v1:/);
    expect(JSON.stringify(items)).not.toContain(VISA.number);
    expect(JSON.stringify(items)).not.toContain(VISA.cvc === '123' ? '"cvc"' : VISA.cvc);
  });
});

describe('DynamoDbOrderRepository: saga transitions', () => {
  it('runs the saga to CONFIRMED, deleting the card, leaving the sweep index and writing each event once', async () => {
    // Arrange
    const t = await ordersOnTable();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });

    // Act
    await t.saga.apply(orderId, { type: 'StockReserved' }, { messageId: 'm-1' });
    await t.saga.apply(orderId, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { messageId: 'm-2' });
    await t.saga.apply(orderId, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { messageId: 'm-2' });

    // Assert
    const items = await t.scan();
    const order = items.find((i) => i.sk === 'ORDER');
    expect(order).toMatchObject({ status: 'CONFIRMED', step: 'DONE', paymentId: 'pay-1', version: 3 });
    expect(order).not.toHaveProperty('gsi2pk');
    expect(items.some((i) => i.sk === 'CARD')).toBe(false);
    expect(
      items
        .filter((i) => i.sk === 'OUTBOX')
        .map((i) => i.type)
        .sort(),
    ).toEqual(['OrderConfirmed', 'OrderPlaced']);
    expect(t.requests.of('AuthorizePayment', orderId)[0]?.payload.card).toEqual(VISA);
  });

  it('lets exactly one of 20 concurrent conditional transitions on one version commit', async () => {
    // Arrange
    const t = await ordersOnTable();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    const order = await t.orders.get(orderId);
    if (order === undefined) throw new Error('order missing');
    const decisions = Array.from({ length: 20 }, (_, i) =>
      decideSaga(
        order,
        { type: 'CancelRequested' },
        { now: t.clock.now, messageId: `cancel-${i}`, compensationRetrySeconds: 60 },
      ),
    );

    // Act
    const results = await Promise.all(
      decisions.map((d) =>
        d.kind === 'commit'
          ? t.orders.commit({ expectedVersion: order.version, next: d.next, deleteCard: d.deleteCard })
          : Promise.resolve(false),
      ),
    );

    // Assert
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await t.orders.get(orderId))?.version).toBe(order.version + 1);
  });

  it('moves a cancelled order through the compensation index until both replies arrive', async () => {
    // Arrange
    const t = await ordersOnTable();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    await t.service.cancel(ALICE, orderId);
    const later = new Date(t.clock.now.getTime() + 61_000);

    // Act
    const dueBefore = await t.orders.findDueCompensations(later, 10);
    await t.saga.apply(orderId, { type: 'StockReleased' }, { messageId: 'r-1' });
    await t.saga.apply(orderId, { type: 'PaymentRefunded' }, { messageId: 'r-2' });
    const dueAfter = await t.orders.findDueCompensations(later, 10);

    // Assert
    expect(dueBefore).toEqual([orderId]);
    expect(dueAfter).toEqual([]);
    expect(await t.orders.get(orderId)).toMatchObject({ status: 'CANCELLED', step: 'DONE' });
  });
});

describe('DynamoDbOrderRepository: the sweep index', () => {
  it('finds only PENDING orders whose deadline passed, oldest first, bounded', async () => {
    // Arrange
    const t = await ordersOnTable();
    const first = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    t.clock.advance(10);
    const second = await t.service.place(ALICE, 'key-00000002', body, { correlationId: 'c' });
    const confirmed = await t.service.place(ALICE, 'key-00000003', body, { correlationId: 'c' });
    await t.saga.apply(confirmed.orderId, { type: 'StockUnavailable' }, { messageId: 'm' });
    t.clock.advance(100);
    await t.service.place(ALICE, 'key-00000004', body, { correlationId: 'c' });
    const now = new Date(t.clock.now.getTime() + 25_000);

    // Act
    const expired = await t.orders.findExpiredPending(now, 10);
    const bounded = await t.orders.findExpiredPending(now, 1);

    // Assert
    expect(expired).toEqual([first.orderId, second.orderId]);
    expect(bounded).toEqual([first.orderId]);
  });

  it('sweeps expired orders on the real table: TIMEOUT, events, both compensations', async () => {
    // Arrange
    const t = await ordersOnTable();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    t.clock.advance(121);

    // Act
    const summary = await t.sweeper.sweep();
    const again = await t.sweeper.sweep();

    // Assert
    expect(summary.timedOut).toBe(1);
    expect(again.timedOut).toBe(0);
    expect(await t.orders.get(orderId)).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT' });
    expect(t.requests.sent.map((r) => r.type).sort()).toEqual([
      'RefundPayment',
      'ReleaseStock',
      'ReserveStock',
    ]);
  });
});

describe('DynamoDbOrderRepository: reads', () => {
  it('reads an order with its sealed card in one query, without the card once the payment step is over', async () => {
    // Arrange
    const t = await ordersOnTable();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    const pending = {
      order: await t.orders.get(orderId),
      sealedCard: await t.orders.findSealedCard(orderId),
    };

    // Act
    const placed = await t.orders.getWithSealedCard(orderId);
    await t.saga.apply(orderId, { type: 'StockReserved' }, { messageId: 'm-1' });
    await t.saga.apply(orderId, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { messageId: 'm-2' });
    const confirmed = await t.orders.getWithSealedCard(orderId);
    const unknown = await t.orders.getWithSealedCard('no-such-order');

    // Assert
    expect(placed).toEqual(pending);
    expect(await t.vault.open(placed?.sealedCard ?? '', orderId)).toEqual(VISA);
    expect(confirmed).toEqual({ order: await t.orders.get(orderId) });
    expect(confirmed?.order.status).toBe('CONFIRMED');
    expect(unknown).toBeUndefined();
  });

  it('pages through a user’s orders newest first and only theirs', async () => {
    // Arrange
    const t = await ordersOnTable();
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) {
      placed.push((await t.service.place(ALICE, `key-0000000${i}`, body, { correlationId: 'c' })).orderId);
      t.clock.advance(1);
    }
    await t.service.place(BOB, 'key-bob-00001', body, { correlationId: 'c' });

    // Act
    const pages = [await t.service.list(ALICE, { limit: 2 })];
    while (pages.at(-1)?.nextCursor !== undefined) {
      pages.push(await t.service.list(ALICE, { limit: 2, cursor: pages.at(-1)?.nextCursor }));
    }

    // Assert
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.items.map((o) => o.orderId))).toEqual([...placed].reverse());
  });

  it('pages on past DynamoDB’s 1 MB query limit: a hundred orders of twenty long-named lines all show', {
    timeout: 120_000,
  }, async () => {
    // Arrange: 101 orders of 20 lines whose names are 120 four-byte characters, ~12 KB each.
    const t = await ordersOnTable();
    const items = Array.from({ length: 20 }, (_, i) => ({ productId: `big-${i}`, quantity: 100 }));
    for (const item of items) t.catalog.add(item.productId, 1, { name: '😀'.repeat(120) });
    const placed = new Set<string>();
    for (let i = 0; i < 101; i += 10) {
      const keys = Array.from({ length: Math.min(10, 101 - i) }, (_, j) => `key-big-${i + j}`);
      const accepted = await Promise.all(
        keys.map((key) => t.service.place(ALICE, key, { ...body, items }, { correlationId: 'c' })),
      );
      for (const { orderId } of accepted) placed.add(orderId);
      t.clock.advance(1);
    }

    // Act
    const pages = [await t.service.list(ALICE, { limit: 100 })];
    while (pages.at(-1)?.nextCursor !== undefined && pages.length < 10) {
      pages.push(await t.service.list(ALICE, { limit: 100, cursor: pages.at(-1)?.nextCursor }));
    }

    // Assert
    const listed = pages.flatMap((p) => p.items.map((o) => o.orderId));
    expect(pages[0]?.items.length).toBeLessThan(100);
    expect(new Set(listed)).toEqual(placed);
    expect(listed).toHaveLength(101);
  });

  it('refuses a cursor it did not issue', async () => {
    // Arrange
    const t = await ordersOnTable();

    // Act
    const listing = t.service.list(ALICE, {
      limit: 2,
      cursor: Buffer.from('not a key').toString('base64url'),
    });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('shows an order only to its owner, with renamed product names', async () => {
    // Arrange
    const t = await ordersOnTable();
    const { orderId } = await t.service.place(ALICE, 'key-00000001', body, { correlationId: 'c' });
    await t.names.rename('p1', 'Renamed mug', 2);

    // Act
    const mine = await t.service.get(ALICE, orderId);
    const theirs = t.service.get(BOB, orderId);

    // Assert
    expect(mine.items[0]?.name).toBe('Renamed mug');
    await expect(theirs).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});

describe('DynamoDbProductNameRepository', () => {
  it('keeps the name of the highest version, whatever order renames arrive in', async () => {
    // Arrange
    const tableName = await createOrdersTable(client);
    const names = new DynamoDbProductNameRepository({ client, tableName, ttlAttribute: 'expiresAt' });

    // Act
    const outcomes = [
      await names.rename('p1', 'Version 2', 2),
      await names.rename('p1', 'Version 1', 1),
      await names.rename('p1', 'Version 2 again', 2),
      await names.rename('p1', 'Version 3', 3),
    ];

    // Assert
    expect(outcomes).toEqual(['UPDATED', 'STALE', 'STALE', 'UPDATED']);
    expect((await names.namesOf(['p1'])).get('p1')).toBe('Version 3');
  });

  it('reads names in batches of 100 and leaves unknown products out', async () => {
    // Arrange
    const tableName = await createOrdersTable(client);
    const names = new DynamoDbProductNameRepository({ client, tableName, ttlAttribute: 'expiresAt' });
    const ids = Array.from({ length: 150 }, (_, i) => `p${i}`);
    await Promise.all(ids.slice(0, 120).map((id) => names.rename(id, `Name of ${id}`, 1)));

    // Act
    const found = await names.namesOf(ids);

    // Assert
    expect(found.size).toBe(120);
    expect(found.get('p119')).toBe('Name of p119');
    expect(found.has('p120')).toBe(false);
  });
});
