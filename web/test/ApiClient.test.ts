import { describe, expect, it } from 'vitest';
import { ApiClient, type TokenSource } from '../src/ApiClient';
import { ApiError, sentenceOf } from '../src/errors';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

/** A fetch that answers each call with the next of `answers` and records what was sent. */
function fakeFetch(answers: Array<() => Response>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
    });
    const next = answers.shift();
    if (next === undefined) throw new Error('no answer left');
    return next();
  }) as typeof fetch;
  return { fetch: fetchFn, sent };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

const accepted = { orderId: 'order-1', status: 'PENDING' };
const tokens = (...issued: string[]): TokenSource & { refreshes: number } => {
  const source = {
    refreshes: 0,
    accessToken: async () => issued[0],
    refreshNow: async () => {
      source.refreshes++;
      return issued[source.refreshes];
    },
  };
  return source;
};

describe('ApiClient', () => {
  it('sends the Idempotency-Key with a placed order and retries it after a 503 Retry-After', async () => {
    const { fetch, sent } = fakeFetch([
      json(503, { error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'busy' } }, { 'retry-after': '1' }),
      json(202, accepted),
    ]);
    const waits: number[] = [];
    const api = new ApiClient({
      baseUrl: 'http://api.test/',
      fetch,
      tokens: tokens('token-1'),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    const order = await api.placeOrder(
      { items: [{ productId: 'p-1', quantity: 1 }], card: { number: '4242424242424242' } },
      'key-12345678',
    );

    expect(order).toEqual(accepted);
    expect(waits).toEqual([1000]);
    expect(sent.map((s) => [s.method, s.url, s.headers['idempotency-key'], s.headers.authorization])).toEqual(
      [
        ['POST', 'http://api.test/orders', 'key-12345678', 'Bearer token-1'],
        ['POST', 'http://api.test/orders', 'key-12345678', 'Bearer token-1'],
      ],
    );
  });

  it("refreshes once and retries when the gateway refuses the token, but not on a quantum's own 403", async () => {
    const source = tokens('old-token', 'new-token');
    const { fetch, sent } = fakeFetch([
      json(403, { message: 'Forbidden' }),
      json(200, { items: [] }),
      json(403, { error: { code: 'FORBIDDEN', message: 'admins only' } }),
    ]);
    const api = new ApiClient({ baseUrl: 'http://api.test', fetch, tokens: source });

    expect(await api.listOrders()).toEqual({ items: [] });
    const refused = await api
      .createProduct({ name: 'Lamp', description: '', priceCents: 100, currency: 'EUR', stock: 1 })
      .catch((e: unknown) => e);

    expect(sent.map((s) => s.headers.authorization)).toEqual([
      'Bearer old-token',
      'Bearer new-token',
      'Bearer old-token',
    ]);
    expect(source.refreshes).toBe(1);
    expect(refused).toBeInstanceOf(ApiError);
    expect(sentenceOf(refused)).toBe('You are not allowed to do that.');
  });

  it('turns error bodies, gateway answers and lost connections into sentences, never JSON', async () => {
    const { fetch } = fakeFetch([
      json(401, { error: { code: 'INVALID_CREDENTIALS', message: 'Invalid e-mail or password' } }),
      json(400, {
        error: { code: 'VALIDATION_FAILED', message: 'Invalid request body: name: must not be blank' },
      }),
      () => {
        throw new TypeError('Failed to fetch');
      },
      json(200, { unexpected: true }),
    ]);
    const api = new ApiClient({ baseUrl: 'http://api.test', fetch });
    const sentence = (call: Promise<unknown>) => call.then(() => 'resolved', sentenceOf);

    expect(await sentence(api.login({ email: 'a@example.com', password: 'x' }))).toBe(
      'That e-mail and password do not match an account.',
    );
    expect(
      await sentence(api.signup({ email: 'a@example.com', password: 'x'.repeat(12), displayName: ' ' })),
    ).toBe('Not valid: Invalid request body: name: must not be blank');
    expect(await sentence(api.listProducts())).toBe(
      'The shop cannot be reached. Check your connection and try again.',
    );
    expect(await sentence(api.getProduct('p-1'))).toBe('Something went wrong on our side. Please try again.');
  });

  it('refuses an authenticated call without a session before sending anything', async () => {
    const { fetch, sent } = fakeFetch([]);
    const api = new ApiClient({ baseUrl: 'http://api.test', fetch });

    const error = await api.listRooms().catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(sent).toEqual([]);
  });
});
