import { randomUUID } from 'node:crypto';
import { accessTokenFor, startLocalCloudProcess } from './httpLatency';
import { emit } from './lib/emit';
import { percentile, round } from './lib/percentile';

type Json = Record<string, unknown>;

async function call(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Json = {},
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(headers as Record<string, string>),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text === '' ? {} : JSON.parse(text)) as Json,
    retryAfter: response.headers.get('retry-after'),
  };
}

/** POST /orders, retrying 503 + Retry-After with the same Idempotency-Key, as a client should. */
async function placeOrder(url: string, token: string, productId: string): Promise<string> {
  const key = randomUUID();
  for (let attempt = 1; attempt <= 60; attempt++) {
    const r = await call(
      url,
      'POST',
      '/orders',
      token,
      { items: [{ productId, quantity: 1 }], card: { number: '4242424242424242' } },
      { 'idempotency-key': key },
    );
    if (r.status === 202) return String(r.body.orderId);
    if (r.status !== 503) throw new Error(`POST /orders answered ${r.status}: ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, Number(r.retryAfter ?? 1) * 1000));
  }
  throw new Error('POST /orders kept answering 503');
}

/** Polls GET /orders/{id} every `intervalMs` until the order is final; resolves with when and how. */
async function finalState(
  url: string,
  token: string,
  orderId: string,
  intervalMs: number,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(url, 'GET', `/orders/${orderId}`, token);
    if (r.status === 200 && r.body.status !== 'PENDING')
      return { at: performance.now(), status: String(r.body.status) };
    if (Date.now() > deadline) throw new Error(`order ${orderId} still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function adminToken(url: string): Promise<string> {
  const body = { email: 'admin@quanta.local', password: 'bench admin password', displayName: 'Admin' };
  await call(url, 'POST', '/identity/signup', undefined, body);
  const login = await call(url, 'POST', '/identity/login', undefined, {
    email: body.email,
    password: body.password,
  });
  return String(login.body.accessToken);
}

async function product(url: string, token: string, stock: number): Promise<string> {
  const r = await call(url, 'POST', '/catalog/products', token, {
    name: `Bench ${randomUUID().slice(0, 6)}`,
    description: '',
    priceCents: 1000,
    currency: 'EUR',
    stock,
  });
  if (r.status !== 201) throw new Error(`POST /catalog/products answered ${r.status}`);
  return String(r.body.productId);
}

/**
 * The commerce numbers of issue 3 on the local cloud (`npm start` in a child process):
 * - saga_latency: POST /orders -> CONFIRMED, one order at a time (price, reserve, authorize, confirm).
 * - orders_sustained: `clients` customers placing orders back to back for `durationMs`; placed/s and
 *   confirmed/s (first POST to last confirmation).
 * - flash_sale: 100 units, 1,000 concurrent orders from 20 customers; wall time until every order is
 *   final, and the outcome counts.
 */
export async function commerce(options: {
  root: string;
  durationMs: number;
  sagaSamples: number;
  clients: number;
}): Promise<void> {
  const { server, url } = await startLocalCloudProcess(options.root);
  try {
    const admin = await adminToken(url);
    const customers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => accessTokenFor(url, `buyer${i}`)),
    );
    const first = customers[0]?.accessToken ?? '';

    // Saga latency, one order at a time, after a warm-up order.
    const plenty = await product(url, admin, 1_000_000);
    await finalState(url, first, await placeOrder(url, first, plenty), 10);
    const latencies: number[] = [];
    for (let i = 0; i < options.sagaSamples; i++) {
      const started = performance.now();
      const orderId = await placeOrder(url, first, plenty);
      const { at, status } = await finalState(url, first, orderId, 5);
      if (status !== 'CONFIRMED') throw new Error(`saga ended ${status}`);
      latencies.push(at - started);
    }
    latencies.sort((a, b) => a - b);
    emit({
      bench: 'saga_latency',
      note: 'POST /orders -> CONFIRMED, sequential',
      samples: latencies.length,
      p50_ms: round(percentile(latencies, 50), 0),
      p99_ms: round(percentile(latencies, 99), 0),
      max_ms: round(latencies.at(-1) ?? 0, 0),
    });

    // Sustained orders: closed loop, `clients` at once.
    const placed: Array<{ orderId: string; token: string }> = [];
    const started = performance.now();
    const ends = Date.now() + options.durationMs;
    await Promise.all(
      Array.from({ length: options.clients }, async (_, i) => {
        const token = customers[i % customers.length]?.accessToken ?? '';
        while (Date.now() < ends) placed.push({ orderId: await placeOrder(url, token, plenty), token });
      }),
    );
    const placedMs = performance.now() - started;
    const finals = await Promise.all(placed.map((p) => finalState(url, p.token, p.orderId, 250)));
    const lastConfirmation = Math.max(...finals.map((f) => f.at));
    emit({
      bench: 'orders_sustained',
      clients: options.clients,
      duration_ms: options.durationMs,
      placed: placed.length,
      placed_per_s: round((placed.length / placedMs) * 1000, 1),
      confirmed: finals.filter((f) => f.status === 'CONFIRMED').length,
      confirmed_per_s: round(
        (finals.filter((f) => f.status === 'CONFIRMED').length / (lastConfirmation - started)) * 1000,
        1,
      ),
    });

    // Flash sale: 100 units, 1,000 orders at once.
    const flash = await product(url, admin, 100);
    const flashStarted = performance.now();
    const orders = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const token = customers[i % customers.length]?.accessToken ?? '';
        return { orderId: await placeOrder(url, token, flash), token };
      }),
    );
    const acceptedMs = performance.now() - flashStarted;
    const outcome = await Promise.all(orders.map((o) => finalState(url, o.token, o.orderId, 500, 300_000)));
    const wallMs = Math.max(...outcome.map((o) => o.at)) - flashStarted;
    const stock = (await call(url, 'GET', `/catalog/products/${flash}`)).body.stock;
    emit({
      bench: 'flash_sale',
      units: 100,
      orders: 1000,
      all_accepted_ms: round(acceptedMs, 0),
      all_final_ms: round(wallMs, 0),
      confirmed: outcome.filter((o) => o.status === 'CONFIRMED').length,
      cancelled: outcome.filter((o) => o.status === 'CANCELLED').length,
      final_stock: stock,
    });
  } finally {
    await server.stop();
  }
}
