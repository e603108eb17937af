import { errorBodySchema } from '@quanta/contracts/http';
import type { TokenPair } from '@quanta/contracts/identity';
import { orderPageSchema } from '@quanta/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARDS, createProduct, placeOrder, placeOrderRetrying, waitUntilFinal } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import type { TestUser } from './support/users';
import { signUpAndLogIn } from './support/users';

/**
 * `POST /orders` with an Idempotency-Key: replays (sequential or concurrent) get the same order,
 * the same key with another body is refused with 422. Target-agnostic.
 */
let target: E2eTarget;
let api: HttpClient;
let customer: TestUser;
let productId: string;

beforeAll(async () => {
  target = await startE2eTarget();
  api = new HttpClient(target.httpUrl);
  const email = process.env.QUANTA_E2E_ADMIN_EMAIL ?? 'admin@quanta.local';
  const password = process.env.QUANTA_E2E_ADMIN_PASSWORD ?? 'admin password for tests';
  await api.call('POST', '/identity/signup', { body: { email, password, displayName: 'Admin' } });
  const admin = await api.call<TokenPair>('POST', '/identity/login', { body: { email, password } });
  productId = (
    await createProduct(api, admin.body.accessToken, { name: 'Kettle', priceCents: 3000, stock: 100 })
  ).productId;
  customer = await signUpAndLogIn(api, 'replayer');
}, 120_000);
afterAll(async () => {
  await target.stop();
});

describe('placing an order with an Idempotency-Key', () => {
  it('creates exactly one order for 50 concurrent replays of one key', async () => {
    const key = `replay-${crypto.randomUUID()}`;
    const body = { items: [{ productId, quantity: 1 }], card: CARDS.authorizes };

    // Each replay behaves like a client: a 503 (load shed, Retry-After) is retried with the same key.
    const replays = await Promise.all(
      Array.from({ length: 50 }, () => placeOrderRetrying(api, customer.tokens.accessToken, body, { key })),
    );

    expect(replays.flatMap((r) => r.statuses).filter((s) => s !== 202 && s !== 503)).toEqual([]);
    expect(replays.map((r) => r.response.status)).toEqual(Array(50).fill(202));
    const ids = new Set(replays.map((r) => r.response.body.orderId));
    expect(ids.size).toBe(1);
    const list = await api.call('GET', '/orders?limit=100', { token: customer.tokens.accessToken });
    const mine = orderPageSchema.parse(list.body).items.filter((o) => ids.has(o.orderId));
    expect(mine).toHaveLength(1);
  });

  it('answers a later replay with the same order in its current state', async () => {
    const key = `later-${crypto.randomUUID()}`;
    const body = { items: [{ productId, quantity: 2 }], card: CARDS.authorizes };
    const first = await placeOrder(api, customer.tokens.accessToken, body, key);
    await waitUntilFinal(api, [{ orderId: first.body.orderId, token: customer.tokens.accessToken }]);

    const replay = await placeOrder(api, customer.tokens.accessToken, body, key);

    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ orderId: first.body.orderId, status: 'CONFIRMED' });
  });

  it('refuses the same key with a different body with 422', async () => {
    const key = `reuse-${crypto.randomUUID()}`;
    await placeOrder(
      api,
      customer.tokens.accessToken,
      { items: [{ productId, quantity: 1 }], card: CARDS.authorizes },
      key,
    );

    const reuse = await placeOrder(
      api,
      customer.tokens.accessToken,
      { items: [{ productId, quantity: 3 }], card: CARDS.authorizes },
      key,
    );

    expect(reuse.status).toBe(422);
    expect(errorBodySchema.parse(reuse.body).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys to the customer: another customer’s identical key is a new order', async () => {
    const other = await signUpAndLogIn(api, 'other-replayer');
    const key = `shared-${crypto.randomUUID()}`;
    const body = { items: [{ productId, quantity: 1 }], card: CARDS.authorizes };

    const mine = await placeOrder(api, customer.tokens.accessToken, body, key);
    const theirs = await placeOrder(api, other.tokens.accessToken, body, key);

    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.body.orderId).not.toBe(mine.body.orderId);
  });

  it('requires the key', async () => {
    const response = await api.call('POST', '/orders', {
      token: customer.tokens.accessToken,
      body: { items: [{ productId, quantity: 1 }], card: CARDS.authorizes },
    });

    expect(response.status).toBe(400);
    expect(errorBodySchema.safeParse(response.body).success).toBe(true);
  });
});
