import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { StockDepleted } from '@quanta/contracts/catalog';
import { type AnyEventEnvelope, eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { type DynamoDbLocal, dynamoDbClientFor, useDynamoDbLocal } from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbProductRepository } from '../adapters/DynamoDbProductRepository';
import { DynamoDbStockLedger } from '../adapters/DynamoDbStockLedger';
import { ProductCatalog } from '../service/ProductCatalog';
import { type ReserveOutcome, StockReservations } from '../service/StockReservations';
import { createCatalogTable } from './fakes/createCatalogTable';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;
let catalog: ProductCatalog;
let reservations: StockReservations;
let ledger: DynamoDbStockLedger;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createCatalogTable(client);
  const table = { client, tableName, ttlAttribute: 'expiresAt' };
  catalog = new ProductCatalog({ products: new DynamoDbProductRepository(table) });
  ledger = new DynamoDbStockLedger(table);
  reservations = new StockReservations({ ledger });
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

const origin = { correlationId: 'corr-test' };
let orders = 0;

async function product(stock: number): Promise<string> {
  const created = await catalog.create(
    { name: `P${stock}`, description: '', priceCents: 500, currency: 'EUR', stock },
    origin,
  );
  return created.productId;
}

async function stockOf(productId: string): Promise<number> {
  return (await catalog.get(productId)).stock;
}

function newOrderId(): string {
  orders++;
  return `order-${orders}-${Math.random().toString(36).slice(2, 8)}`;
}

function reserve(orderId: string, items: { productId: string; quantity: number }[]): Promise<ReserveOutcome> {
  return reservations.reserve({
    orderId,
    items,
    deadline: new Date(Date.now() + 120_000),
    correlationId: orderId,
    causationId: `msg-${orderId}`,
  });
}

async function outboxEvents(): Promise<AnyEventEnvelope[]> {
  const events: AnyEventEnvelope[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :outbox)',
        ExpressionAttributeValues: marshall({ ':outbox': 'OUTBOX#' }),
        ConsistentRead: true,
        ExclusiveStartKey: start === undefined ? undefined : marshall(start),
      }),
    );
    for (const i of page.Items ?? [])
      events.push(eventEnvelopeBaseSchema.parse(JSON.parse(String(unmarshall(i).envelope))));
    start = page.LastEvaluatedKey === undefined ? undefined : unmarshall(page.LastEvaluatedKey);
  } while (start !== undefined);
  return events;
}

async function depletedEventsFor(productId: string): Promise<number> {
  return (await outboxEvents()).filter(
    (e) => e.type === StockDepleted.type && StockDepleted.envelope.parse(e).data.productId === productId,
  ).length;
}

describe('stock reservations on DynamoDB Local', () => {
  it('never oversells: 50 concurrent single-unit orders for 10 units reserve exactly 10', async () => {
    // Arrange
    const productId = await product(10);

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => reserve(newOrderId(), [{ productId, quantity: 1 }])),
    );

    // Assert
    expect(outcomes.filter((o) => o.kind === 'RESERVED')).toHaveLength(10);
    const refused = outcomes.filter((o) => o.kind === 'UNAVAILABLE');
    expect(refused).toHaveLength(40);
    expect(refused[0]).toEqual({ kind: 'UNAVAILABLE', productIds: [productId], reason: 'OUT_OF_STOCK' });
    expect(await stockOf(productId)).toBe(0);
    expect(await depletedEventsFor(productId)).toBe(1);
  });

  // The full 1,000-buyer flash sale runs end to end in test/e2e/flashSale.local.test.ts; here the
  // same property (contention never oversells, the last unit emits one StockDepleted) at a size
  // that does not compete with it for the suite's shared DynamoDB Local.
  it('sells exactly 30 in a flash sale of 300 concurrent orders', async () => {
    // Arrange
    const productId = await product(30);

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, () => reserve(newOrderId(), [{ productId, quantity: 1 }])),
    );

    // Assert
    expect(outcomes.filter((o) => o.kind === 'RESERVED')).toHaveLength(30);
    expect(outcomes.filter((o) => o.kind === 'UNAVAILABLE')).toHaveLength(270);
    expect(await stockOf(productId)).toBe(0);
    expect(await depletedEventsFor(productId)).toBe(1);
  }, 120_000);

  it('sells a sold-out product again once it is restocked', async () => {
    // Arrange: sold out, and seen sold out by this service instance.
    const productId = await product(1);
    await reserve(newOrderId(), [{ productId, quantity: 1 }]);
    expect((await reserve(newOrderId(), [{ productId, quantity: 1 }])).kind).toBe('UNAVAILABLE');
    await catalog.restock(productId, 2);

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 3 }, () => reserve(newOrderId(), [{ productId, quantity: 1 }])),
    );

    // Assert
    expect(outcomes.filter((o) => o.kind === 'RESERVED')).toHaveLength(2);
    expect(await stockOf(productId)).toBe(0);
  });

  it('reads the current stock of products, undefined for one that does not exist', async () => {
    // Arrange
    const productId = await product(7);

    // Act
    const stock = await ledger.currentStock([productId, 'no-such-product']);

    // Assert
    expect(Object.fromEntries(stock)).toEqual({ [productId]: 7, 'no-such-product': undefined });
  });

  it('reserves once for 20 concurrent copies of one request', async () => {
    // Arrange
    const productId = await product(10);
    const orderId = newOrderId();

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => reserve(orderId, [{ productId, quantity: 3 }])),
    );

    // Assert
    expect(outcomes.every((o) => o.kind === 'RESERVED')).toBe(true);
    expect(outcomes.filter((o) => o.kind === 'RESERVED' && !o.duplicate)).toHaveLength(1);
    expect(await stockOf(productId)).toBe(7);
  });

  it('reserves all lines of an order or none of them', async () => {
    // Arrange
    const plenty = await product(50);
    const scarce = await product(1);

    // Act
    const outcome = await reserve(newOrderId(), [
      { productId: plenty, quantity: 5 },
      { productId: scarce, quantity: 2 },
    ]);

    // Assert
    expect(outcome).toEqual({ kind: 'UNAVAILABLE', productIds: [scarce], reason: 'OUT_OF_STOCK' });
    expect(await stockOf(plenty)).toBe(50);
    expect(await stockOf(scarce)).toBe(1);
  });

  it('refuses an order naming an unknown product without touching the others', async () => {
    // Arrange
    const known = await product(5);

    // Act
    const outcome = await reserve(newOrderId(), [
      { productId: known, quantity: 1 },
      { productId: 'no-such-product', quantity: 1 },
    ]);

    // Assert
    expect(outcome).toEqual({
      kind: 'UNAVAILABLE',
      productIds: ['no-such-product'],
      reason: 'UNKNOWN_PRODUCT',
    });
    expect(await stockOf(known)).toBe(5);
  });

  it('returns the stock of a reservation exactly once under 10 concurrent releases', async () => {
    // Arrange
    const a = await product(10);
    const b = await product(4);
    const orderId = newOrderId();
    await reserve(orderId, [
      { productId: a, quantity: 3 },
      { productId: b, quantity: 4 },
    ]);

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => reservations.release({ orderId, correlationId: orderId })),
    );
    const later = await reservations.release({ orderId, correlationId: orderId });

    // Assert
    expect(outcomes.every((o) => o.released)).toBe(true);
    expect(later).toEqual({ released: true });
    expect(await stockOf(a)).toBe(10);
    expect(await stockOf(b)).toBe(4);
  });

  it('leaves a tombstone when the release comes first, so the late reservation takes nothing', async () => {
    // Arrange
    const productId = await product(5);
    const orderId = newOrderId();

    // Act
    const release = await reservations.release({ orderId, correlationId: orderId });
    const late = await reserve(orderId, [{ productId, quantity: 2 }]);
    const releaseAgain = await reservations.release({ orderId, correlationId: orderId });

    // Assert
    expect(release).toEqual({ released: false });
    expect(late).toEqual({ kind: 'RELEASED' });
    expect(releaseAgain).toEqual({ released: false });
    expect(await stockOf(productId)).toBe(5);
    expect(await ledger.reservation(orderId)).toMatchObject({ status: 'RELEASED', stockReturned: false });
  });

  it('conserves stock when reservations and releases of the same orders race', async () => {
    // Arrange: enough stock for all orders at once (37 of a, 25 of b), so none is refused.
    const a = await product(40);
    const b = await product(30);
    const orderIds = Array.from({ length: 25 }, newOrderId);

    // Act: each order is reserved and released at the same time, the release twice.
    await Promise.all(
      orderIds.flatMap((orderId, i) => [
        reserve(orderId, [
          { productId: a, quantity: 1 + (i % 2) },
          { productId: b, quantity: 1 },
        ]),
        reservations.release({ orderId, correlationId: orderId }),
        reservations.release({ orderId, correlationId: orderId }),
      ]),
    );

    // Assert: whichever came first, every order ends released and all stock is back.
    for (const orderId of orderIds)
      expect(await ledger.reservation(orderId)).toMatchObject({ status: 'RELEASED' });
    expect(await stockOf(a)).toBe(40);
    expect(await stockOf(b)).toBe(30);
  });

  it('keeps stock + reserved units equal to the initial stock across mixed concurrent orders', async () => {
    // Arrange
    const products = [await product(40), await product(25), await product(10)];
    const orders = Array.from({ length: 60 }, (_, i) => ({
      orderId: newOrderId(),
      items: [
        { productId: products[i % 3] as string, quantity: 1 + (i % 4) },
        { productId: products[(i + 1) % 3] as string, quantity: 1 },
      ],
    }));

    // Act: all reserve at once, then every third is released (twice, concurrently).
    const outcomes = await Promise.all(orders.map((o) => reserve(o.orderId, o.items)));
    const released = orders.filter((_, i) => i % 3 === 0);
    await Promise.all(
      released.flatMap((o) => [
        reservations.release({ orderId: o.orderId, correlationId: o.orderId }),
        reservations.release({ orderId: o.orderId, correlationId: o.orderId }),
      ]),
    );

    // Assert
    const held = new Map<string, number>();
    orders.forEach((o, i) => {
      if (outcomes[i]?.kind !== 'RESERVED' || released.includes(o)) return;
      for (const line of o.items) held.set(line.productId, (held.get(line.productId) ?? 0) + line.quantity);
    });
    const initial = [40, 25, 10];
    for (const [i, productId] of products.entries()) {
      const stock = await stockOf(productId);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock + (held.get(productId) ?? 0)).toBe(initial[i]);
    }
  });

  it('does not act on a request past its deadline', async () => {
    // Arrange
    const productId = await product(5);
    const orderId = newOrderId();

    // Act
    const outcome = await reservations.reserve({
      orderId,
      items: [{ productId, quantity: 1 }],
      deadline: new Date(Date.now() - 1),
      correlationId: orderId,
    });

    // Assert
    expect(outcome).toEqual({ kind: 'EXPIRED' });
    expect(await stockOf(productId)).toBe(5);
    expect(await ledger.reservation(orderId)).toBeUndefined();
  });

  it('gives refused and released reservations an expiry, and keeps active ones', async () => {
    // Arrange
    const productId = await product(1);
    const active = newOrderId();
    const refused = newOrderId();
    const tombstoned = newOrderId();

    // Act
    await reserve(active, [{ productId, quantity: 1 }]);
    await reserve(refused, [{ productId, quantity: 1 }]);
    await reservations.release({ orderId: tombstoned, correlationId: tombstoned });

    // Assert
    const { Items = [] } = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'orderId IN (:a, :r, :t)',
        ExpressionAttributeValues: marshall({ ':a': active, ':r': refused, ':t': tombstoned }),
      }),
    );
    const byOrder = new Map(Items.map((i) => unmarshall(i)).map((i) => [i.orderId, i]));
    expect(byOrder.get(active)?.expiresAt).toBeUndefined();
    expect(byOrder.get(refused)?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 24 * 3600);
    expect(byOrder.get(tombstoned)?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 24 * 3600);
  });
});
