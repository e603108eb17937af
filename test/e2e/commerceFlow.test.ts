import type { Product, ProductPage } from '@quanta/contracts/catalog';
import { productPageSchema } from '@quanta/contracts/catalog';
import { errorBodySchema } from '@quanta/contracts/http';
import type { TokenPair } from '@quanta/contracts/identity';
import type { Order } from '@quanta/contracts/orders';
import { orderPageSchema } from '@quanta/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { TestUser } from './support/users';
import { signUpAndLogIn } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * The commerce story of issue 3 as a client lives it, through the platform's HTTP API only: an admin
 * creates products, a customer browses without a token, orders, and sees the saga end in CONFIRMED
 * (or CANCELLED with the card that declines); a rename reaches the order. Target-agnostic (local
 * cloud, or a deployment via QUANTA_E2E_BASE_URL with QUANTA_E2E_ADMIN_EMAIL/PASSWORD).
 */
let target: E2eTarget;
let api: HttpClient;
let adminToken: string;
let customer: TestUser;
let lamp: Product;
let chair: Product;

/** The admin: on the local cloud, signing up with the configured admin e-mail grants the role. */
async function adminAccessToken(): Promise<string> {
  const email = process.env.QUANTA_E2E_ADMIN_EMAIL ?? 'admin@quanta.local';
  const password = process.env.QUANTA_E2E_ADMIN_PASSWORD ?? 'admin password for tests';
  await api.call('POST', '/identity/signup', { body: { email, password, displayName: 'Admin' } });
  const login = await api.call<TokenPair>('POST', '/identity/login', { body: { email, password } });
  expect(login.status).toBe(200);
  return login.body.accessToken;
}

beforeAll(async () => {
  target = await startE2eTarget();
  api = new HttpClient(target.httpUrl);
  adminToken = await adminAccessToken();
  lamp = await createProduct(api, adminToken, { name: 'Desk lamp', priceCents: 2500, stock: 10 });
  chair = await createProduct(api, adminToken, { name: 'Chair', priceCents: 9900, stock: 5 });
  customer = await signUpAndLogIn(api, 'shopper');
}, 120_000);
afterAll(async () => {
  await target.stop();
});

describe('an admin and a customer of the shop', () => {
  it('lets anyone list and read products without a token, page by page', async () => {
    const seen: Product[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call<ProductPage>(
        'GET',
        `/catalog/products?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      const parsed = productPageSchema.parse(page.body);
      seen.push(...parsed.items);
      cursor = parsed.nextCursor;
    } while (cursor !== undefined);

    expect(seen.map((p) => p.productId)).toEqual(expect.arrayContaining([lamp.productId, chair.productId]));
    expect(new Set(seen.map((p) => p.productId)).size).toBe(seen.length);
    expect((await getProduct(api, lamp.productId)).name).toBe('Desk lamp');
  });

  it('keeps product writes for admins', async () => {
    const response = await api.call('POST', '/catalog/products', {
      token: customer.tokens.accessToken,
      body: { name: 'Sneaky', description: '', priceCents: 1, currency: 'EUR', stock: 1 },
    });

    expect(response.status).toBe(403);
    expect(errorBodySchema.safeParse(response.body).success).toBe(true);
  });

  it('places an order that the saga confirms, taking the stock', async () => {
    const { response: placed } = await placeOrderRetrying(api, customer.tokens.accessToken, {
      items: [
        { productId: lamp.productId, quantity: 2 },
        { productId: chair.productId, quantity: 1 },
      ],
      card: CARDS.authorizes,
    });
    expect(placed.status).toBe(202);
    expect(placed.body.status).toBe('PENDING');

    const [order] = (
      await waitUntilFinal(api, [{ orderId: placed.body.orderId, token: customer.tokens.accessToken }])
    ).values();

    expect(order).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 2 * 2500 + 9900,
      currency: 'EUR',
      cardLast4: '4242',
    });
    expect((await getProduct(api, lamp.productId)).stock).toBe(8);
    expect((await getProduct(api, chair.productId)).stock).toBe(4);
  });

  it('cancels the order of a declined card and gives the stock back', async () => {
    const { response: placed } = await placeOrderRetrying(api, customer.tokens.accessToken, {
      items: [{ productId: chair.productId, quantity: 2 }],
      card: CARDS.declined,
    });
    expect(placed.status).toBe(202);

    const [order] = (
      await waitUntilFinal(api, [{ orderId: placed.body.orderId, token: customer.tokens.accessToken }])
    ).values();

    expect(order).toMatchObject({ status: 'CANCELLED', reason: 'PAYMENT_DECLINED', cardLast4: '0002' });
    const chairNow = await waitFor('the reserved chairs to be released', async () => {
      const p = await getProduct(api, chair.productId);
      return p.stock === 4 ? p : undefined;
    });
    expect(chairNow.stock).toBe(4);
  });

  it('shows a renamed product under its new name in the order', async () => {
    const { response: placed } = await placeOrderRetrying(api, customer.tokens.accessToken, {
      items: [{ productId: lamp.productId, quantity: 1 }],
      card: CARDS.authorizes,
    });
    await waitUntilFinal(api, [{ orderId: placed.body.orderId, token: customer.tokens.accessToken }]);

    const rename = await api.call('PATCH', `/catalog/products/${lamp.productId}`, {
      token: adminToken,
      body: { name: 'Reading lamp' },
    });
    expect(rename.status).toBe(200);
    const renamed = await waitFor('the rename to reach the order', async () => {
      const order = await getOrder(api, customer.tokens.accessToken, placed.body.orderId);
      return order.items[0]?.name === 'Reading lamp' ? order : undefined;
    });

    expect(renamed.items[0]).toMatchObject({ productId: lamp.productId, name: 'Reading lamp', quantity: 1 });
  });

  it('lists only my orders, newest first, and hides other people’s orders', async () => {
    const stranger = await signUpAndLogIn(api, 'stranger');
    const mine = await api.call('GET', '/orders?limit=50', { token: customer.tokens.accessToken });
    const page = orderPageSchema.parse(mine.body);
    const someone = page.items[0] as Order;

    const peek = await api.call('GET', `/orders/${someone.orderId}`, { token: stranger.tokens.accessToken });
    const theirs = await api.call('GET', '/orders', { token: stranger.tokens.accessToken });

    expect(page.items.length).toBeGreaterThanOrEqual(3);
    const created = page.items.map((o) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect(peek.status).toBe(404);
    expect(orderPageSchema.parse(theirs.body).items).toEqual([]);
  });

  it('cancels a pending order on request, and the stock comes back', async () => {
    // The processing-error card keeps the payment step busy (retries), so the order stays PENDING.
    const { response: placed } = await placeOrderRetrying(api, customer.tokens.accessToken, {
      items: [{ productId: chair.productId, quantity: 1 }],
      card: CARDS.processingError,
    });
    expect(placed.status).toBe(202);

    const cancel = await api.call('POST', `/orders/${placed.body.orderId}/cancel`, {
      token: customer.tokens.accessToken,
    });
    const again = await api.call('POST', `/orders/${placed.body.orderId}/cancel`, {
      token: customer.tokens.accessToken,
    });

    expect(cancel.status).toBe(202);
    expect(again.status).toBe(409);
    expect(await getOrder(api, customer.tokens.accessToken, placed.body.orderId)).toMatchObject({
      status: 'CANCELLED',
      reason: 'CANCELLED_BY_CUSTOMER',
    });
    const chairNow = await waitFor('the cancelled order’s chair to be released', async () => {
      const p = await getProduct(api, chair.productId);
      return p.stock === 4 ? p : undefined;
    });
    expect(chairNow.stock).toBe(4);
  });
});
