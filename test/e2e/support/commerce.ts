import type { Product } from '@quanta/contracts/catalog';
import { productSchema } from '@quanta/contracts/catalog';
import type { Order } from '@quanta/contracts/orders';
import { orderSchema } from '@quanta/contracts/orders';
import { expect } from 'vitest';
import type { ApiResponse, HttpClient } from './HttpClient';

/** The test cards of the simulated processor. */
export const CARDS = {
  authorizes: { number: '4242424242424242' },
  declined: { number: '4000000000000002' },
  insufficientFunds: { number: '4000000000009995' },
  processingError: { number: '4000000000000119' },
} as const;

/** Creates a product as `adminToken`, asserting 201. */
export async function createProduct(
  api: HttpClient,
  adminToken: string,
  product: { name: string; priceCents: number; stock: number; currency?: string; description?: string },
): Promise<Product> {
  const response = await api.call<Product>('POST', '/catalog/products', {
    token: adminToken,
    body: { description: '', currency: 'EUR', ...product },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return productSchema.parse(response.body);
}

/** Places an order (202 expected by callers that assert it). */
export function placeOrder(
  api: HttpClient,
  token: string,
  body: { items: Array<{ productId: string; quantity: number }>; card: { number: string } },
  idempotencyKey: string = crypto.randomUUID(),
): Promise<ApiResponse<{ orderId: string; status: string }>> {
  return api.call('POST', '/orders', { token, body, headers: { 'idempotency-key': idempotencyKey } });
}

/**
 * Places an order the way a well-behaved client does under load: a 503 carries `Retry-After`, so it
 * waits and retries with the **same** Idempotency-Key (which is what makes the retry safe), up to
 * `attempts` times. Resolves with the last response and how many attempts it took.
 */
export async function placeOrderRetrying(
  api: HttpClient,
  token: string,
  body: { items: Array<{ productId: string; quantity: number }>; card: { number: string } },
  { attempts = 30, key = crypto.randomUUID() }: { attempts?: number; key?: string } = {},
): Promise<{
  response: ApiResponse<{ orderId: string; status: string }>;
  attempts: number;
  statuses: number[];
}> {
  const statuses: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const response = await placeOrder(api, token, body, key);
    statuses.push(response.status);
    if (response.status !== 503 || attempt >= attempts) return { response, attempts: attempt, statuses };
    const retryAfterSeconds = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
  }
}

/** Reads an order as its owner. */
export async function getOrder(api: HttpClient, token: string, orderId: string): Promise<Order> {
  const response = await api.call('GET', `/orders/${orderId}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return orderSchema.parse(response.body);
}

/** Polls until every order has left PENDING (or `timeoutMs` passes); returns the final orders. */
export async function waitUntilFinal(
  api: HttpClient,
  orders: ReadonlyArray<{ orderId: string; token: string }>,
  { timeoutMs = 60_000, concurrency = 32 }: { timeoutMs?: number; concurrency?: number } = {},
): Promise<Map<string, Order>> {
  const final = new Map<string, Order>();
  const deadline = Date.now() + timeoutMs;
  let pending = [...orders];
  while (pending.length > 0) {
    const stillPending: typeof pending = [];
    for (let i = 0; i < pending.length; i += concurrency) {
      const slice = pending.slice(i, i + concurrency);
      const read = await Promise.all(slice.map((o) => getOrder(api, o.token, o.orderId)));
      read.forEach((order, j) => {
        const source = slice[j];
        if (source === undefined) return;
        if (order.status === 'PENDING') stillPending.push(source);
        else final.set(order.orderId, order);
      });
    }
    pending = stillPending;
    if (pending.length === 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `${pending.length} orders still PENDING after ${timeoutMs} ms, e.g. ${pending[0]?.orderId}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return final;
}

/** Reads a product (public route). */
export async function getProduct(api: HttpClient, productId: string): Promise<Product> {
  const response = await api.call('GET', `/catalog/products/${productId}`);
  expect(response.status).toBe(200);
  return productSchema.parse(response.body);
}
