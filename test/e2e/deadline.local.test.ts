import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/LocalCloud';
import { CARDS, createProduct, getProduct, placeOrderRetrying, waitUntilFinal } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';
import { waitForQuiescence } from './support/quiescence';

/**
 * No order stays pending past its deadline: with catalog unable to process any ReserveStock, the
 * scheduled sweep cancels every order with TIMEOUT, and when catalog comes back the late requests
 * reserve nothing (past their deadline, and released by the sweep's compensation). Local only.
 */
const DEADLINE_SECONDS = 5;
let target: E2eTarget;
let cloud: LocalCloud;
let api: HttpClient;

beforeAll(async () => {
  target = await startE2eTarget({
    environment: { orders: { ORDER_DEADLINE_SECONDS: String(DEADLINE_SECONDS) } },
    cloud: { scheduleEverySeconds: 1, queueVisibilityTimeoutSeconds: 2 },
  });
  if (target.cloud === undefined) throw new Error('deadline runs on the local cloud only');
  cloud = target.cloud;
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

describe('an order whose saga cannot finish', () => {
  it('is cancelled with TIMEOUT shortly after its deadline, and a late reservation takes no stock', async () => {
    const minter = await tokenMinter(target);
    const admin = minter.mint({ roles: ['admin'] });
    const product = await createProduct(api, admin.token, { name: 'Clock', priceCents: 4000, stock: 10 });
    const buyer = minter.mint();
    cloud.faults.inject('catalog.requests', { mode: 'fail-before', rate: 1 });

    const placedAt = Date.now();
    const placed = await Promise.all(
      [1, 2, 3].map(async () => {
        const { response } = await placeOrderRetrying(api, buyer.token, {
          items: [{ productId: product.productId, quantity: 2 }],
          card: CARDS.authorizes,
        });
        return { orderId: response.body.orderId, token: buyer.token };
      }),
    );
    const final = [...(await waitUntilFinal(api, placed, { timeoutMs: 30_000 })).values()];
    const endedAfterMs = Date.now() - placedAt;
    cloud.faults.clear('catalog.requests');
    await waitForQuiescence(cloud.urls.sqs, target.registry?.prefix ?? '', { timeoutMs: 60_000 });

    expect(final.map((o) => `${o.status} ${o.reason}`)).toEqual(Array(3).fill('CANCELLED TIMEOUT'));
    // Deadline + one sweep period + slack for a loaded machine.
    expect(endedAfterMs).toBeLessThan((DEADLINE_SECONDS + 10) * 1000);
    expect((await getProduct(api, product.productId)).stock).toBe(10);
  }, 120_000);
});
