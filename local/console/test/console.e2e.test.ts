import { realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../../test/e2e/support/chatClient';
import { CARDS, createProduct, getOrder, placeOrderRetrying } from '../../../test/e2e/support/commerce';
import type { E2eTarget } from '../../../test/e2e/support/E2eTarget';
import { startE2eTarget } from '../../../test/e2e/support/E2eTarget';
import { HttpClient } from '../../../test/e2e/support/HttpClient';
import { tokenMinter } from '../../../test/e2e/support/mintToken';
import { waitFor } from '../../../test/e2e/support/waitFor';
import type { Trace } from '../assembleTrace';
import type { DeadLetterQueueState, RedriveResult } from '../DeadLetters';
import type { ActivityEntry } from '../describeActivity';

/**
 * The developer console's live API on a whole local cloud: the trace of an order placed over HTTP
 * crosses orders, catalog and payments and ends with the WebSocket push to its owner; a message dead-lettered by an injected fault is redriven
 * through the console and processed exactly once.
 */
let target: E2eTarget;
let api: HttpClient;
let consoleUrl: string;
let admin: string;
let customer: string;

async function consoleGet<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${consoleUrl}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  // A failed message comes back after 2 s instead of 3 minutes, so a poison one reaches its DLQ in seconds.
  target = await startE2eTarget({ cloud: { console: { port: 0 }, queueVisibilityTimeoutSeconds: 2 } });
  api = new HttpClient(target.httpUrl);
  const url = target.cloud?.urls.console;
  if (url === undefined) throw new Error('the local cloud started without its console');
  consoleUrl = url;
  const minter = await tokenMinter(target);
  admin = minter.mint({ roles: ['customer', 'admin'] }).token;
  customer = minter.mint().token;
}, 120_000);
afterAll(async () => {
  await target.stop();
});

describe('the developer console of a local cloud', () => {
  let productId: string;
  let orderId: string;

  it('traces an order from its order id across orders, catalog and payments to the push of its status', async () => {
    productId = (await createProduct(api, admin, { name: 'Desk lamp', priceCents: 2500, stock: 5 }))
      .productId;
    // The owner is connected, so the saga ends with a push of the order's status.
    const ticket = await api.call('POST', '/realtime/tickets', { token: customer });
    const socket = await ChatClient.connect(realtimeTicketResponseSchema.parse(ticket.body).url);
    const placed = await placeOrderRetrying(api, customer, {
      items: [{ productId, quantity: 1 }],
      card: CARDS.authorizes,
    });
    expect(placed.response.status).toBe(202);
    orderId = placed.response.body.orderId;

    const trace = await waitFor(
      'the trace to reach the push of the order’s status',
      async () => {
        const { status, body } = await consoleGet<Trace>(`/api/traces/${orderId}`);
        return status === 200 && body.steps.some((s) => s.kind === 'push') ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    expect(trace.quanta).toEqual(expect.arrayContaining(['orders', 'catalog', 'payments']));
    const titles = trace.steps.map((s) => s.title);
    const firstIndex = (text: string): number => titles.findIndex((t) => t.includes(text));
    expect(firstIndex('orders.api: POST /orders → 202')).toBe(
      titles.findIndex((t) => t.startsWith('orders.api')),
    );
    await socket.close();
    const steps = [
      'facade GetProducts',
      'ReserveStock',
      'AuthorizePayment',
      'OrderConfirmed',
      'push: order CONFIRMED',
    ];
    for (const step of steps) {
      expect(firstIndex(step), `${step} in ${titles.join(' | ')}`).toBeGreaterThan(-1);
    }
    expect(firstIndex('facade GetProducts')).toBeLessThan(firstIndex('ReserveStock'));
    expect(firstIndex('ReserveStock')).toBeLessThan(firstIndex('AuthorizePayment'));
    expect(firstIndex('AuthorizePayment')).toBeLessThan(firstIndex('OrderConfirmed'));
    expect(firstIndex('OrderConfirmed')).toBeLessThan(firstIndex('push: order CONFIRMED'));
    expect((await getOrder(api, customer, orderId)).status).toBe('CONFIRMED');
    // The same trace, asked for by its correlation id.
    const byCorrelation = await consoleGet<Trace>(`/api/traces/${encodeURIComponent(trace.correlationId)}`);
    expect(byCorrelation.body.orderIds).toContain(orderId);
  });

  it('redrives a dead-lettered message through the console, and it is processed exactly once', async () => {
    const prefix = target.registry?.prefix;
    const dlq = `${prefix}-orders-product-renamed-dlq`;
    const faults = target.cloud?.faults;
    faults?.inject('orders.productRenamed', { mode: 'fail-before' });
    const renamed = await api.call('PATCH', `/catalog/products/${productId}`, {
      token: admin,
      body: { name: 'Reading lamp' },
    });
    expect(renamed.status).toBe(200);

    const held = await waitFor(
      'ProductRenamed to be dead-lettered',
      async () => {
        const { body } = await consoleGet<DeadLetterQueueState>(`/api/dead-letters/${dlq}`);
        return body.depth === 1 && !body.messages[0]?.inFlight ? body : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    expect(held.messages[0]?.type).toBe('ProductRenamed');
    faults?.clear('orders.productRenamed');
    const mark = (await consoleGet<{ lastSeq: number }>('/api/status')).body.lastSeq;

    const response = await fetch(`${consoleUrl}/api/dead-letters/${dlq}/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const result = (await response.json()) as RedriveResult;

    expect(response.status).toBe(200);
    expect(result).toEqual({ queue: dlq, to: `${prefix}-orders-product-renamed`, moved: 1, failed: [] });
    await waitFor(
      'the order to show the new name',
      async () =>
        (await getOrder(api, customer, orderId)).items[0]?.name === 'Reading lamp' ? true : undefined,
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    // Past a visibility timeout: a message processed but not deleted would have come back by now.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await consoleGet<{ entries: ActivityEntry[] }>(
      `/api/activity?function=orders.productRenamed&after=${mark}`,
    );
    const received = after.body.entries.filter((e) => e.kind === 'message');
    expect(received.map((e) => e.outcome)).toEqual(['received']);
    expect(after.body.entries.filter((e) => e.kind === 'invocation').map((e) => e.outcome)).toEqual(['ok']);
    expect((await consoleGet<DeadLetterQueueState>(`/api/dead-letters/${dlq}`)).body.depth).toBe(0);
  });
});
