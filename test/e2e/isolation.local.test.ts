import type { Order } from '@quanta/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/LocalCloud';
import {
  CARDS,
  createProduct,
  getOrder,
  getProduct,
  placeOrderRetrying,
  waitUntilFinal,
} from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';
import { signUpAndLogIn } from './support/users';

/**
 * Fault isolation (DESIGN §6): while payments' consumers fail, the other quanta keep answering, the
 * orders wait (queues between everything asynchronous), and once payments recovers they complete —
 * or are cancelled at their deadline, with the stock given back. Local only (fault injection).
 */
let target: E2eTarget;
let cloud: LocalCloud;
let api: HttpClient;

beforeAll(async () => {
  target = await startE2eTarget({
    environment: { orders: { ORDER_DEADLINE_SECONDS: '40' } },
    cloud: { scheduleEverySeconds: 1, queueVisibilityTimeoutSeconds: 2 },
  });
  if (target.cloud === undefined) throw new Error('isolation runs on the local cloud only');
  cloud = target.cloud;
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

describe('a quantum whose consumers fail', () => {
  it('takes no other quantum down, and its pending orders complete after it recovers', async () => {
    const minter = await tokenMinter(target);
    const admin = minter.mint({ roles: ['customer', 'admin'] });
    const product = await createProduct(api, admin.token, { name: 'Umbrella', priceCents: 1500, stock: 50 });
    const person = await signUpAndLogIn(api, 'bystander');
    const buyers = Array.from({ length: 10 }, () => minter.mint());

    cloud.faults.inject('payments.requests', { mode: 'fail-before', rate: 1 });
    const placed = await Promise.all(
      buyers.map(async (b) => {
        const { response } = await placeOrderRetrying(api, b.token, {
          items: [{ productId: product.productId, quantity: 1 }],
          card: CARDS.authorizes,
        });
        return { orderId: response.body.orderId, token: b.token, status: response.status };
      }),
    );
    // During the outage: other quanta answer 2xx, every time.
    const statuses: number[] = [];
    // The outage lasts until payments' consumer has really failed (a first delivery and a redelivery),
    // at least 4 s, at most 30 s: on a loaded machine the saga takes a while to reach payments.
    const outageStarted = Date.now();
    const outageOver = (): boolean => {
      const elapsed = Date.now() - outageStarted;
      const failures = cloud.faults.stats('payments.requests').injected['fail-before'];
      return elapsed > 30_000 || (elapsed > 4000 && failures >= 2);
    };
    while (!outageOver()) {
      const answers = await Promise.all([
        api.call('GET', '/catalog/products?limit=5'),
        api.call('GET', `/catalog/products/${product.productId}`),
        api.call('GET', '/identity/me', { token: person.tokens.accessToken }),
        api.call('POST', `/catalog/products/${product.productId}/restock`, {
          token: admin.token,
          body: { quantity: 1 },
        }),
      ]);
      statuses.push(...answers.map((a) => a.status));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const duringOutage: Order[] = await Promise.all(placed.map((p) => getOrder(api, p.token, p.orderId)));
    const failedPaymentAttempts = cloud.faults.stats('payments.requests').injected['fail-before'];
    cloud.faults.clear('payments.requests');
    const final = [...(await waitUntilFinal(api, placed, { timeoutMs: 90_000 })).values()];

    expect(placed.map((p) => p.status)).toEqual(Array(10).fill(202));
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s < 200 || s >= 300)).toEqual([]);
    expect(failedPaymentAttempts).toBeGreaterThan(0);
    expect(duringOutage.map((o) => o.status)).toEqual(Array(10).fill('PENDING'));
    for (const order of final) {
      expect(
        order.status === 'CONFIRMED' || order.reason === 'TIMEOUT',
        `${order.orderId}: ${order.status} ${order.reason}`,
      ).toBe(true);
    }
    const confirmed = final.filter((o) => o.status === 'CONFIRMED').length;
    const restocked = statuses.length / 4;
    expect((await getProduct(api, product.productId)).stock).toBe(50 + restocked - confirmed);
  }, 180_000);
});
