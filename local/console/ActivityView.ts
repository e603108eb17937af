import { redactCardNumbers } from '@quanta/runtime/observability/redact';
import type { ActivityRecord, ActivityStore, LogRecord } from './ActivityStore';
import type { LogEntry, Trace, TraceSummary } from './assembleTrace';
import { assembleTrace, recentTraces } from './assembleTrace';
import type { ActivityDirectory, ActivityEntry } from './describeActivity';
import { describeActivity } from './describeActivity';

/** Which activity rows to return. */
export interface ActivityFilter {
  readonly kind?: ActivityRecord['kind'];
  readonly quantum?: string;
  readonly functionId?: string;
  /** Rows whose title, function, correlation or order ids contain it (case-insensitive). */
  readonly text?: string;
  /** Only rows of records numbered after this. */
  readonly after?: number;
  /** Most rows, the newest kept. @default 500 */
  readonly limit?: number;
}

/** Which log lines to return. */
export interface LogFilter {
  readonly quantum?: string;
  readonly functionId?: string;
  /** Lines containing it (Powertools puts `correlation_id` on every line of a request). */
  readonly correlationId?: string;
  readonly after?: number;
  /** @default 500 */
  readonly limit?: number;
}

/** The whole of one record, card numbers masked, for the console's detail pane. */
export interface ActivityDetail {
  readonly entries: readonly ActivityEntry[];
  /** The record's payload as JSON text (event and result, event and rules, message body, frame). */
  readonly raw: string;
}

const MAX_RAW = 64 * 1024;

/**
 * How the console reads the {@link ActivityStore}: records turned into rows (once per record,
 * remembered while the record is kept), filtered, traced, and shown in full with card numbers
 * masked. Nothing here runs unless a console client asks.
 *
 * @example
 * ```ts
 * const view = new ActivityView(store, activityDirectoryOf(plan));
 * view.trace(orderId).quanta; // ['orders', 'catalog', 'payments', …]
 * ```
 */
export class ActivityView {
  readonly #store: ActivityStore;
  readonly #directory: ActivityDirectory;
  readonly #rows = new WeakMap<ActivityRecord, ActivityEntry[]>();
  readonly #lines = new WeakMap<LogRecord, LogEntry>();

  constructor(store: ActivityStore, directory: ActivityDirectory) {
    this.#store = store;
    this.#directory = directory;
  }

  /** The rows of `record`. */
  rowsOf(record: ActivityRecord): readonly ActivityEntry[] {
    let rows = this.#rows.get(record);
    if (rows === undefined) {
      rows = describeActivity(record, this.#directory);
      this.#rows.set(record, rows);
    }
    return rows;
  }

  /** The log entry of `record`. */
  lineOf(record: LogRecord): LogEntry {
    let entry = this.#lines.get(record);
    if (entry === undefined) {
      entry = {
        seq: record.seq,
        at: record.at,
        quantum: record.functionId.slice(0, record.functionId.indexOf('.')),
        functionId: record.functionId,
        stream: record.stream,
        line: redactCardNumbers(record.line),
      };
      this.#lines.set(record, entry);
    }
    return entry;
  }

  /** Activity rows matching `filter`, oldest first. */
  activity(filter: ActivityFilter = {}): ActivityEntry[] {
    const records =
      filter.after === undefined ? this.#store.activity() : this.#store.since(filter.after).activity;
    const text = filter.text?.toLowerCase();
    const rows = records
      .flatMap((record) => this.rowsOf(record))
      .filter(
        (row) =>
          (filter.kind === undefined || row.kind === filter.kind) &&
          (filter.quantum === undefined || row.quantum === filter.quantum) &&
          (filter.functionId === undefined || row.functionId === filter.functionId) &&
          (text === undefined || matchesText(row, text)),
      );
    return rows.slice(-(filter.limit ?? 500));
  }

  /** Log lines matching `filter`, oldest first. */
  logs(filter: LogFilter = {}): LogEntry[] {
    const records = filter.after === undefined ? this.#store.logs() : this.#store.since(filter.after).logs;
    return records
      .map((record) => this.lineOf(record))
      .filter(
        (line) =>
          (filter.quantum === undefined || line.quantum === filter.quantum) &&
          (filter.functionId === undefined || line.functionId === filter.functionId) &&
          (filter.correlationId === undefined || line.line.includes(filter.correlationId)),
      )
      .slice(-(filter.limit ?? 500));
  }

  /** The trace of a correlation id or an order id (see `assembleTrace`). */
  trace(id: string): Trace {
    return assembleTrace(this.#allRows(), this.logs({ correlationId: id, limit: 1000 }), id);
  }

  /** The latest traces, newest first. */
  recentTraces(limit = 50): TraceSummary[] {
    return recentTraces(this.#allRows(), limit);
  }

  /** Record `seq` in full, while it is kept. */
  detail(seq: number): ActivityDetail | undefined {
    const record = this.#store.find(seq);
    if (record === undefined) return undefined;
    const raw = redactCardNumbers(JSON.stringify(payloadOf(record), null, 2) ?? 'null');
    return {
      entries: this.rowsOf(record),
      raw:
        raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}\n… (${raw.length - MAX_RAW} more characters)` : raw,
    };
  }

  #allRows(): ActivityEntry[] {
    return this.#store.activity().flatMap((record) => this.rowsOf(record));
  }
}

function matchesText(row: ActivityEntry, text: string): boolean {
  return (
    row.title.toLowerCase().includes(text) ||
    row.correlationIds.some((id) => id.toLowerCase().includes(text)) ||
    row.orderIds.some((id) => id.toLowerCase().includes(text))
  );
}

function payloadOf(record: ActivityRecord): unknown {
  switch (record.kind) {
    case 'invocation': {
      const { result } = record;
      const outcome =
        'rejected' in result
          ? { rejected: String(result.rejected) }
          : result.ok
            ? { payload: result.payload }
            : { error: result.error };
      return { functionId: record.functionId, event: record.event, ...outcome };
    }
    case 'event':
      return { busName: record.busName, rules: record.rules, event: record.event };
    case 'message':
      return {
        queue: record.queue,
        messageId: record.messageId,
        status: record.status,
        body: parseOrText(record.body),
      };
    case 'push':
      return {
        connectionId: record.connectionId,
        delivered: record.delivered,
        data: parseOrText(record.data.toString('utf8')),
      };
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
