import { randomUUID } from 'node:crypto';
import { accessTokenFor, startLocalCloudProcess } from './httpLatency';
import { emit } from './lib/emit';
import { OrderUpdates } from './lib/OrderUpdates';
import { percentile, round } from './lib/percentile';
import { cpuWindow, sampleRssPeak } from './lib/processTree';

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

/**
 * POST /orders, retrying 503 + Retry-After with the same Idempotency-Key, as a client should;
 * each 503 is counted in `seen.unavailable` when given.
 */
async function placeOrder(
  url: string,
  token: string,
  productId: string,
  seen?: { unavailable: number },
): Promise<string> {
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
    if (seen !== undefined) seen.unavailable++;
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

/**
 * `count` fresh customers, four signing up at a time: signup runs scrypt (~0.85 s of CPU), and 20 at
 * once on 2 cores can pass the function's timeout.
 */
async function customersOf(
  url: string,
  count: number,
  prefix: string,
): Promise<Array<{ accessToken: string }>> {
  const customers: Array<{ accessToken: string }> = [];
  for (let i = 0; i < count; i += 4) {
    const batch = Array.from({ length: Math.min(4, count - i) }, (_, j) =>
      accessTokenFor(url, `${prefix}${i + j}`),
    );
    customers.push(...(await Promise.all(batch)));
  }
  return customers;
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
 *   confirmed/s (first POST to last confirmation), CPU per confirmed order. Customers learn outcomes
 *   as the web client does, from `order` frames on a WebSocket (see {@link OrderUpdates});
 *   orders_sustained_polling: the same with GET /orders/{id} every 250 ms instead.
 * - flash_sale (on a fresh cloud): 100 units, 1,000 concurrent orders from 20 customers; wall time
 *   until every order is final, the outcome counts, the 503s, the peak RSS.
 * - orders_calls: calls per confirmed order by service, on a metered cloud.
 *
 * Returns what `order_call_floor` puts together with `aws_call_cost`: orders_sustained's CPU per
 * confirmed order and orders_calls' calls per order.
 */
export async function commerce(options: {
  root: string;
  durationMs: number;
  sagaSamples: number;
  clients: number;
}): Promise<CommerceFigures> {
  let cpuMsPerOrder: number;
  const { server, url } = await startLocalCloudProcess(options.root);
  try {
    const admin = await adminToken(url);
    const customers = await customersOf(url, 20, 'buyer');
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

    // Sustained orders: closed loop, `clients` at once; CPU of the cloud's whole process tree from
    // the first POST to the last confirmation.
    // Customers learn outcomes as the web client does: `order` frames on one WebSocket each.
    const updates = await Promise.all(customers.map((c) => OrderUpdates.open(url, c.accessToken)));
    const cpu = cpuWindow(server.pid);
    const sustained = await sustainedOrders(
      url,
      customers,
      plenty,
      options.clients,
      options.durationMs,
      updates,
    );
    const cpuMs = cpu.endMs();
    cpuMsPerOrder = cpuMs / sustained.confirmed;
    emit({
      bench: 'orders_sustained',
      note: 'outcomes from WebSocket order frames (no polling)',
      clients: options.clients,
      duration_ms: options.durationMs,
      placed: sustained.placed,
      placed_per_s: round((sustained.placed / sustained.placedMs) * 1000, 1),
      confirmed: sustained.confirmed,
      confirmed_per_s: round((sustained.confirmed / sustained.untilLastConfirmedMs) * 1000, 1),
      cpu_ms_per_order: round(cpuMsPerOrder, 1),
      cpu_cores_busy: round(cpuMs / sustained.untilLastConfirmedMs, 2),
      polled_fallback: updates.reduce((n, u) => n + u.polled, 0),
    });

    // The same with clients polling GET /orders/{id} every 250 ms (how this bench measured before).
    const pollCpu = cpuWindow(server.pid);
    const polling = await sustainedOrders(url, customers, plenty, options.clients, options.durationMs);
    const pollCpuMs = pollCpu.endMs();
    emit({
      bench: 'orders_sustained_polling',
      note: 'outcomes from GET /orders/{id} every 250 ms',
      clients: options.clients,
      duration_ms: options.durationMs,
      placed: polling.placed,
      confirmed: polling.confirmed,
      confirmed_per_s: round((polling.confirmed / polling.untilLastConfirmedMs) * 1000, 1),
      cpu_ms_per_order: round(pollCpuMs / polling.confirmed, 1),
    });

    await Promise.all(updates.map((u) => u.close()));
  } finally {
    await server.stop();
  }
  await flashSale(options);
  return { cpuMsPerOrder, callsPerOrder: await callsPerOrder(options) };
}

/** What `order_call_floor` takes from the commerce rows. */
export interface CommerceFigures {
  /** `orders_sustained.cpu_ms_per_order`, unrounded. */
  cpuMsPerOrder: number;
  /** `orders_calls.calls_per_order`. */
  callsPerOrder: Record<string, number>;
}

/**
 * Flash sale on a fresh cloud: 100 units, 1,000 orders at once from 20 customers, each learning
 * its outcomes from `order` frames; wall time until every order is final, outcome counts, 503s, and
 * the peak RSS of the whole process tree.
 */
async function flashSale(options: { root: string }): Promise<void> {
  const { server, url } = await startLocalCloudProcess(options.root);
  try {
    const admin = await adminToken(url);
    const customers = await customersOf(url, 20, 'flash');
    const updates = await Promise.all(customers.map((c) => OrderUpdates.open(url, c.accessToken)));
    const flash = await product(url, admin, 100);
    const rss = sampleRssPeak(server.pid, 250);
    const flashStarted = performance.now();
    const seen = { unavailable: 0 };
    const orders = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const token = customers[i % customers.length]?.accessToken ?? '';
        const orderId = await placeOrder(url, token, flash, seen);
        const acceptedAt = performance.now();
        const final = await updates[i % customers.length]?.final(orderId);
        if (final === undefined) throw new Error('no order updates for a customer');
        return { orderId, token, final, acceptedAt };
      }),
    );
    const acceptedMs = Math.max(...orders.map((o) => o.acceptedAt)) - flashStarted;
    const outcome = orders.map((o) => o.final);
    const wallMs = Math.max(...outcome.map((o) => o.at)) - flashStarted;
    const rssPeakMb = rss.stop();
    // Untimed: every pushed outcome is what the order holds.
    let mismatched = 0;
    for (const o of orders) {
      const stored = await call(url, 'GET', `/orders/${o.orderId}`, o.token);
      if (stored.body.status !== o.final.status) mismatched++;
    }
    await Promise.all(updates.map((u) => u.close()));
    const stock = (await call(url, 'GET', `/catalog/products/${flash}`)).body.stock;
    emit({
      bench: 'flash_sale',
      units: 100,
      orders: 1000,
      all_accepted_ms: round(acceptedMs, 0),
      // 503 + Retry-After answers to POST /orders (each retried with the same Idempotency-Key).
      unavailable_503: seen.unavailable,
      all_final_ms: round(wallMs, 0),
      // Outcomes came from WebSocket order frames; the HTTP fallback is counted, then all are checked.
      polled_fallback: updates.reduce((n, u) => n + u.polled, 0),
      frame_vs_stored_mismatches: mismatched,
      confirmed: outcome.filter((o) => o.status === 'CONFIRMED').length,
      cancelled: outcome.filter((o) => o.status === 'CANCELLED').length,
      final_stock: stock,
      // The whole process tree (the cloud's node and workers, DynamoDB Local's JVM), every 250 ms.
      rss_peak_mb: round(rssPeakMb, 0),
    });
  } finally {
    await server.stop();
  }
}

/**
 * Calls per confirmed order by service and operation, on a second local cloud started with
 * `--meter-calls` (its proxies add a loopback hop per call, so the timed runs above go without):
 * a shorter sustained run, the meter's counts before and after, divided by the confirmed orders.
 * The counts include what the run's clients cause besides the saga (the order frames pushed to them,
 * retried 503s) and the background work of the window (SQS long polls, stream polls, the
 * TTL sweeper).
 */
async function callsPerOrder(options: {
  root: string;
  durationMs: number;
  clients: number;
}): Promise<Record<string, number>> {
  const { server, url, countsUrl } = await startLocalCloudProcess(options.root, ['--meter-calls']);
  try {
    if (countsUrl === undefined) throw new Error(`no call meter URL in the banner:\n${server.output}`);
    const counts = async (): Promise<Record<string, number>> =>
      (await (await fetch(countsUrl)).json()) as Record<string, number>;
    const admin = await adminToken(url);
    const customers = await customersOf(url, options.clients, 'metered');
    const plenty = await product(url, admin, 1_000_000);
    const first = customers[0]?.accessToken ?? '';
    await finalState(url, first, await placeOrder(url, first, plenty), 10);
    const durationMs = Math.min(options.durationMs, 5000);
    const updates = await Promise.all(customers.map((c) => OrderUpdates.open(url, c.accessToken)));
    const before = await counts();
    const sustained = await sustainedOrders(url, customers, plenty, options.clients, durationMs, updates);
    const after = await counts();
    await Promise.all(updates.map((u) => u.close()));
    const perOrder = Object.fromEntries(
      Object.entries(after)
        .map(([key, n]) => [key, round((n - (before[key] ?? 0)) / sustained.confirmed, 2)] as const)
        .filter(([, n]) => n > 0),
    );
    emit({
      bench: 'orders_calls',
      note: 'calls per confirmed order by service.operation (metered cloud; outcomes from WebSocket order frames)',
      clients: options.clients,
      duration_ms: durationMs,
      confirmed: sustained.confirmed,
      calls_per_order: perOrder,
    });
    return perOrder;
  } finally {
    await server.stop();
  }
}

/** `clients` customers placing orders back to back for `durationMs`, then every order polled until final. */
async function sustainedOrders(
  url: string,
  customers: ReadonlyArray<{ accessToken: string }>,
  productId: string,
  clients: number,
  durationMs: number,
  updates?: ReadonlyArray<OrderUpdates>,
) {
  const placed: Array<{ orderId: string; token: string; updates: OrderUpdates | undefined }> = [];
  const started = performance.now();
  const ends = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const token = customers[i % customers.length]?.accessToken ?? '';
      const watch = updates?.[i % customers.length];
      while (Date.now() < ends) {
        placed.push({ orderId: await placeOrder(url, token, productId), token, updates: watch });
      }
    }),
  );
  const placedMs = performance.now() - started;
  const finals = await Promise.all(
    placed.map((p) =>
      p.updates === undefined ? finalState(url, p.token, p.orderId, 250) : p.updates.final(p.orderId),
    ),
  );
  const lastConfirmation = Math.max(...finals.map((f) => f.at));
  return {
    placed: placed.length,
    placedMs,
    confirmed: finals.filter((f) => f.status === 'CONFIRMED').length,
    untilLastConfirmedMs: lastConfirmation - started,
  };
}
