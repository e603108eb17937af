import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Product } from '@quanta/contracts/catalog';
import type { Order } from '@quanta/contracts/orders';
import { namesOf } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/LocalCloud';
import { CARDS, createProduct, getProduct, placeOrderRetrying, waitUntilFinal } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';
import { waitForQuiescence } from './support/quiescence';

/**
 * Conservation under failure: 500 random orders, 20% with a declining card, while the saga's
 * consumers crash after doing their work 15% of the time (the message is redelivered, so every step
 * runs again: the at-least-once case). In the end every order is final, and for every product
 * stock + units sold = initial stock; catalog's reservations and payments' charges agree with the
 * orders exactly. Local only (fault injection).
 */
const ORDERS = 500;
const PRODUCTS = 4;
const INITIAL_STOCK = 60;
const FAULTY = ['catalog.requests', 'payments.requests', 'orders.replies'] as const;

let target: E2eTarget;
let cloud: LocalCloud;
let api: HttpClient;

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function scan(table: string): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({
    endpoint: cloud.urls.dynamodb,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  client.destroy();
  return items;
}

beforeAll(async () => {
  target = await startE2eTarget({
    environment: { orders: { ORDER_DEADLINE_SECONDS: '120' } },
    cloud: { scheduleEverySeconds: 1, queueVisibilityTimeoutSeconds: 3, faultSeed: 7 },
    ownDynamoDb: true,
  });
  if (target.cloud === undefined) throw new Error('conservation runs on the local cloud only');
  cloud = target.cloud;
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

describe('stock and money under failure', () => {
  it('are conserved across 500 random orders with 20% declines and crashing consumers', async () => {
    const minter = await tokenMinter(target);
    const admin = minter.mint({ roles: ['customer', 'admin'] });
    const products: Product[] = [];
    for (let i = 0; i < PRODUCTS; i++) {
      products.push(
        await createProduct(api, admin.token, {
          name: `Item ${i}`,
          priceCents: 500 + i,
          stock: INITIAL_STOCK,
        }),
      );
    }
    const buyers = Array.from({ length: 40 }, () => minter.mint());
    const rnd = random(42);
    const plans = Array.from({ length: ORDERS }, (_, i) => {
      const first = Math.floor(rnd() * PRODUCTS);
      const lines = [{ productId: products[first]?.productId ?? '', quantity: 1 + Math.floor(rnd() * 3) }];
      if (rnd() < 0.4) {
        const second = (first + 1 + Math.floor(rnd() * (PRODUCTS - 1))) % PRODUCTS;
        lines.push({ productId: products[second]?.productId ?? '', quantity: 1 + Math.floor(rnd() * 3) });
      }
      const declines = rnd() < 0.2;
      return { buyer: buyers[i % buyers.length]?.token ?? '', lines, declines };
    });
    for (const id of FAULTY) cloud.faults.inject(id, { mode: 'fail-after', rate: 0.15 });

    const placed: Array<{ orderId: string; token: string; declines: boolean }> = [];
    for (let i = 0; i < plans.length; i += 25) {
      const chunk = plans.slice(i, i + 25);
      const responses = await Promise.all(
        chunk.map((p) =>
          placeOrderRetrying(api, p.buyer, {
            items: p.lines,
            card: p.declines ? CARDS.declined : CARDS.authorizes,
          }),
        ),
      );
      responses.forEach(({ response }, j) => {
        expect(response.status).toBe(202);
        placed.push({
          orderId: response.body.orderId,
          token: chunk[j]?.buyer ?? '',
          declines: chunk[j]?.declines ?? false,
        });
      });
    }
    const final = await waitUntilFinal(api, placed, { timeoutMs: 240_000 });
    for (const id of FAULTY) cloud.faults.clear(id);
    await waitForQuiescence(cloud.urls.sqs, target.registry?.prefix ?? '', { timeoutMs: 120_000 });

    // Every order is final; declined cards never confirm.
    const orders = [...final.values()] as Order[];
    expect(orders).toHaveLength(ORDERS);
    for (const p of placed.filter((o) => o.declines)) expect(final.get(p.orderId)?.status).toBe('CANCELLED');
    // Stock: what is left plus what confirmed orders bought is what there was.
    for (const product of products) {
      const sold = orders
        .filter((o) => o.status === 'CONFIRMED')
        .flatMap((o) => o.items)
        .filter((line) => line.productId === product.productId)
        .reduce((sum, line) => sum + line.quantity, 0);
      const { stock } = await getProduct(api, product.productId);
      expect(stock + sold, `product ${product.name}: stock ${stock} + sold ${sold}`).toBe(INITIAL_STOCK);
    }
    // Catalog holds reservations for exactly the confirmed orders; payments charged exactly them.
    const prefix = target.registry?.prefix ?? '';
    const confirmed = new Set(orders.filter((o) => o.status === 'CONFIRMED').map((o) => o.orderId));
    const reserved = (await scan(namesOf('catalog', prefix).table))
      .filter((i) => String(i.pk).startsWith('RESERVATION#') && i.status === 'RESERVED')
      .map((i) => String(i.pk).slice('RESERVATION#'.length));
    const charged = (await scan(namesOf('payments', prefix).table))
      .filter((i) => String(i.pk).startsWith('PAYMENT#') && i.status === 'AUTHORIZED')
      .map((i) => String(i.pk).slice('PAYMENT#'.length));
    expect(confirmed.size).toBeGreaterThan(10);
    expect(orders.filter((o) => o.reason === 'OUT_OF_STOCK').length).toBeGreaterThan(0);
    expect(orders.filter((o) => o.reason === 'PAYMENT_DECLINED').length).toBeGreaterThan(0);
    expect(new Set(reserved)).toEqual(confirmed);
    expect(new Set(charged)).toEqual(confirmed);
    // The failures really happened.
    for (const id of FAULTY) expect(cloud.faults.stats(id).injected['fail-after']).toBeGreaterThan(0);
  }, 420_000);
});
