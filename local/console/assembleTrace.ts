import type { ActivityEntry } from './describeActivity';
import { TraceNotFoundError } from './errors';

/** One function log line as the console shows it. */
export interface LogEntry {
  readonly seq: number;
  /** Epoch ms. */
  readonly at: number;
  readonly quantum: string;
  readonly functionId: string;
  readonly stream: 'stdout' | 'stderr';
  /** The line, card numbers masked. */
  readonly line: string;
}

/** Everything that carried one correlation id, in time order. */
export interface Trace {
  /** The id asked for: a correlation id or an order id. */
  readonly query: string;
  readonly correlationId: string;
  /** The orders the trace carried (what WebSocket pushes, which carry no correlation id, are matched by). */
  readonly orderIds: readonly string[];
  /** Epoch ms of the first step and the end of the last. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Quanta in the order they first took part. */
  readonly quanta: readonly string[];
  readonly steps: readonly ActivityEntry[];
  /** Function log lines that name the correlation id. */
  readonly logs: readonly LogEntry[];
  /** Other correlation ids that also carried the order asked for (a replayed request, a later read). */
  readonly related: readonly string[];
}

/** A line of the list of recent traces. */
export interface TraceSummary {
  readonly correlationId: string;
  /** What started it, e.g. `orders.api: POST /orders → 202`. */
  readonly title: string;
  readonly startedAt: number;
  readonly steps: number;
  readonly quanta: readonly string[];
  readonly orderIds: readonly string[];
  /** True when a step failed. */
  readonly failed: boolean;
}

const FAILED = new Set<ActivityEntry['outcome']>(['error', 'partial', 'failed', 'dead-lettered', 'gone']);

/**
 * The trace of `id`, a correlation id or an order id. An order id resolves to the correlation id of
 * the earliest step that carried it (the `POST /orders` that created it). Steps are the entries
 * carrying that correlation id, plus entries carrying none that name one of its orders (the
 * WebSocket push of the order's status).
 *
 * @throws {TraceNotFoundError} when no kept entry carries `id`.
 *
 * @example
 * ```ts
 * const trace = assembleTrace(entries, logs, orderId);
 * trace.quanta; // ['orders', 'catalog', 'payments', 'chat', 'platform']
 * ```
 */
export function assembleTrace(
  entries: readonly ActivityEntry[],
  logs: readonly LogEntry[],
  id: string,
): Trace {
  const ordered = [...entries].sort(byTime);
  let correlationId: string | undefined = ordered.some((e) => e.correlationIds.includes(id)) ? id : undefined;
  const related = new Set<string>();
  if (correlationId === undefined) {
    for (const entry of ordered) {
      if (!entry.orderIds.includes(id)) continue;
      for (const c of entry.correlationIds) {
        correlationId ??= c;
        related.add(c);
      }
    }
  }
  if (correlationId === undefined) throw new TraceNotFoundError(id);
  related.delete(correlationId);
  const own = ordered.filter((e) => e.correlationIds.includes(correlationId));
  const orderIds = new Set(own.flatMap((e) => e.orderIds));
  if (correlationId !== id) orderIds.add(id);
  const steps = ordered.filter(
    (e) =>
      e.correlationIds.includes(correlationId) ||
      (e.correlationIds.length === 0 && e.orderIds.some((o) => orderIds.has(o))),
  );
  const quanta: string[] = [];
  for (const step of steps)
    if (step.quantum !== undefined && !quanta.includes(step.quantum)) quanta.push(step.quantum);
  const first = steps[0];
  return {
    query: id,
    correlationId,
    orderIds: [...orderIds],
    startedAt: first?.at ?? 0,
    endedAt: Math.max(0, ...steps.map((s) => s.at + (s.durationMs ?? 0))),
    quanta,
    steps,
    logs: logs.filter((l) => l.line.includes(correlationId)),
    related: [...related],
  };
}

/**
 * The most recent traces, newest first: one per correlation id, titled by its first step.
 *
 * @example
 * ```ts
 * recentTraces(entries, 50)[0]?.title; // 'orders.api: POST /orders → 202'
 * ```
 */
export function recentTraces(entries: readonly ActivityEntry[], limit: number): TraceSummary[] {
  const byId = new Map<
    string,
    { first: ActivityEntry; steps: number; quanta: Set<string>; orderIds: Set<string>; failed: boolean }
  >();
  for (const entry of [...entries].sort(byTime)) {
    for (const c of entry.correlationIds) {
      let trace = byId.get(c);
      if (trace === undefined) {
        trace = { first: entry, steps: 0, quanta: new Set(), orderIds: new Set(), failed: false };
        byId.set(c, trace);
      }
      trace.steps++;
      if (entry.quantum !== undefined) trace.quanta.add(entry.quantum);
      for (const o of entry.orderIds) trace.orderIds.add(o);
      trace.failed ||= FAILED.has(entry.outcome);
    }
  }
  return [...byId.entries()]
    .map(([correlationId, t]) => ({
      correlationId,
      title: t.first.title,
      startedAt: t.first.at,
      steps: t.steps,
      quanta: [...t.quanta],
      orderIds: [...t.orderIds],
      failed: t.failed,
    }))
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, limit);
}

function byTime(a: ActivityEntry, b: ActivityEntry): number {
  return a.at - b.at || a.seq - b.seq || a.id.localeCompare(b.id, 'en', { numeric: true });
}
