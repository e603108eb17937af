import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../assembleTrace';
import { assembleTrace, recentTraces } from '../assembleTrace';
import type { ActivityEntry } from '../describeActivity';
import { TraceNotFoundError } from '../errors';

let seq = 0;
const step = (fields: Partial<ActivityEntry> & Pick<ActivityEntry, 'at' | 'title'>): ActivityEntry => {
  seq++;
  return {
    id: String(seq),
    seq,
    kind: 'invocation',
    outcome: 'ok',
    correlationIds: [],
    orderIds: [],
    ...fields,
  };
};

// One order's saga, as the engines report it, plus noise around it.
const ORDER = 'o-1';
const entries: ActivityEntry[] = [
  step({
    at: 100,
    title: 'orders.api: POST /orders → 202',
    quantum: 'orders',
    durationMs: 40,
    correlationIds: ['c-1'],
    orderIds: [ORDER],
  }),
  step({
    at: 110,
    title: 'catalog.facade: facade GetProducts from orders → 200',
    quantum: 'catalog',
    durationMs: 8,
    correlationIds: ['c-1'],
  }),
  step({
    at: 150,
    title: 'ReserveStock sent to quanta-catalog-requests',
    kind: 'message',
    outcome: 'sent',
    quantum: 'catalog',
    correlationIds: ['c-1'],
    orderIds: [ORDER],
  }),
  step({
    at: 160,
    title: 'catalog.requests: 1 message (ReserveStock)',
    quantum: 'catalog',
    durationMs: 15,
    correlationIds: ['c-1'],
    orderIds: [ORDER],
  }),
  step({
    at: 200,
    title: 'payments.requests: 1 message (AuthorizePayment)',
    quantum: 'payments',
    durationMs: 20,
    correlationIds: ['c-1'],
    orderIds: [ORDER],
  }),
  step({
    at: 260,
    title: 'OrderConfirmed from quanta.orders → quanta-chat-order-events',
    kind: 'event',
    outcome: 'matched',
    quantum: 'orders',
    correlationIds: ['c-1'],
    orderIds: [ORDER],
  }),
  step({
    at: 280,
    title: 'WebSocket push: order CONFIRMED to conn',
    kind: 'push',
    outcome: 'delivered',
    quantum: 'platform',
    orderIds: [ORDER],
  }),
  // A later read of the order: its own correlation id, not part of the saga.
  step({
    at: 300,
    title: 'orders.api: GET /orders/o-1 → 200',
    quantum: 'orders',
    correlationIds: ['c-2'],
    orderIds: [ORDER],
  }),
  // Another order's push, and an unrelated request.
  step({
    at: 290,
    title: 'WebSocket push: order CANCELLED to conn',
    kind: 'push',
    outcome: 'delivered',
    quantum: 'platform',
    orderIds: ['o-9'],
  }),
  step({
    at: 120,
    title: 'identity.api: GET /identity/me → 200',
    quantum: 'identity',
    correlationIds: ['c-3'],
  }),
];
const logs: LogEntry[] = [
  {
    seq: 90,
    at: 105,
    quantum: 'orders',
    functionId: 'orders.api',
    stream: 'stdout',
    line: '{"correlation_id":"c-1","message":"placed"}',
  },
  {
    seq: 91,
    at: 125,
    quantum: 'identity',
    functionId: 'identity.api',
    stream: 'stdout',
    line: '{"correlation_id":"c-3"}',
  },
];

describe('assembleTrace', () => {
  it('gathers everything that carried a correlation id, in time order, with the quanta it crossed', () => {
    const trace = assembleTrace(entries, logs, 'c-1');

    expect(trace.steps.map((s) => s.title)).toEqual([
      'orders.api: POST /orders → 202',
      'catalog.facade: facade GetProducts from orders → 200',
      'ReserveStock sent to quanta-catalog-requests',
      'catalog.requests: 1 message (ReserveStock)',
      'payments.requests: 1 message (AuthorizePayment)',
      'OrderConfirmed from quanta.orders → quanta-chat-order-events',
      'WebSocket push: order CONFIRMED to conn',
    ]);
    expect(trace).toMatchObject({
      correlationId: 'c-1',
      orderIds: [ORDER],
      quanta: ['orders', 'catalog', 'payments', 'platform'],
      startedAt: 100,
      endedAt: 280,
      related: [],
    });
    expect(trace.logs.map((l) => l.functionId)).toEqual(['orders.api']);
  });

  it('resolves an order id to the correlation id of the request that created it and names the others', () => {
    const trace = assembleTrace(entries, logs, ORDER);

    expect(trace.correlationId).toBe('c-1');
    expect(trace.query).toBe(ORDER);
    expect(trace.steps).toHaveLength(7);
    expect(trace.related).toEqual(['c-2']);
  });

  it('refuses an id nothing carried', () => {
    expect(() => assembleTrace(entries, logs, 'nobody')).toThrow(TraceNotFoundError);
  });
});

describe('recentTraces', () => {
  it('lists one line per correlation id, newest first, titled by its first step', () => {
    const traces = recentTraces(entries, 10);

    expect(traces.map((t) => [t.correlationId, t.title, t.steps])).toEqual([
      ['c-2', 'orders.api: GET /orders/o-1 → 200', 1],
      ['c-3', 'identity.api: GET /identity/me → 200', 1],
      ['c-1', 'orders.api: POST /orders → 202', 6],
    ]);
    expect(traces[2]).toMatchObject({
      quanta: ['orders', 'catalog', 'payments'],
      orderIds: [ORDER],
      failed: false,
    });
  });

  it('keeps only the newest traces', () => {
    expect(recentTraces(entries, 1).map((t) => t.correlationId)).toEqual(['c-2']);
  });
});
