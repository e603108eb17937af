import type { SqsSpyMessage } from 'fauxqs';
import type { EventBridgeEvent } from '../eventbridge/EventBridgeEvent';
import type { InvokeResult } from '../lambda/FunctionInvoker';
import type { FunctionLogLine } from '../lambda/FunctionLogSink';
import { Ring } from '../Ring';

/** What happened to an SQS message, as fauxqs reports it (`received` and `failed` come from invocations). */
export type SqsMessageStatus = 'sent' | 'deleted' | 'dead-lettered';

/** How an invocation ended: the function's result, or the reason it could not be invoked at all. */
export type InvocationOutcome = InvokeResult | { readonly ok: false; readonly rejected: unknown };

/**
 * One thing the local engines did, kept as the engines handed it over: references, not copies, and
 * nothing serialised, so recording costs an allocation and an array write. Summaries are made only
 * when someone asks (see `describeActivity`).
 */
export type ActivityRecord =
  | {
      readonly kind: 'invocation';
      readonly seq: number;
      /** When the engine asked for the invocation (epoch ms). */
      readonly at: number;
      readonly functionId: string;
      readonly event: unknown;
      readonly result: InvocationOutcome;
    }
  | {
      readonly kind: 'event';
      readonly seq: number;
      readonly at: number;
      readonly busName: string;
      readonly event: EventBridgeEvent;
      /** Names of the rules it matched. */
      readonly rules: readonly string[];
    }
  | {
      readonly kind: 'message';
      readonly seq: number;
      readonly at: number;
      readonly queue: string;
      readonly messageId: string;
      readonly status: SqsMessageStatus;
      readonly body: string;
    }
  | {
      readonly kind: 'push';
      readonly seq: number;
      readonly at: number;
      readonly connectionId: string;
      readonly data: Buffer;
      /** False when the connection was gone (the caller got 410). */
      readonly delivered: boolean;
    };

/** One line a function wrote, with when it arrived. */
export interface LogRecord extends FunctionLogLine {
  readonly seq: number;
  readonly at: number;
}

/** Options of {@link ActivityStore}. */
export interface ActivityStoreOptions {
  /** Most activity records kept; the oldest go first. @default 5000 */
  readonly capacity?: number;
  /** Most log lines kept. @default 5000 */
  readonly logCapacity?: number;
  /** Clock in epoch ms. @default Date.now */
  readonly now?: () => number;
}

/**
 * The developer console's memory: bounded rings of what the engines reported (invocations, bus
 * puts, SQS message changes, WebSocket pushes) and of function log lines. The recording methods are
 * bound, so they can be handed to the engines as their listeners. Subscribers are told that
 * something was recorded, not what: a server with no client connected has none, and one with clients
 * reads {@link since} at its own pace.
 *
 * @example
 * ```ts
 * const store = new ActivityStore({ capacity: 1000 });
 * const bus = new LocalEventBus({ queueSender, onPut: store.recordEvent });
 * store.activity().length; // what the bus has put since
 * ```
 */
export class ActivityStore {
  readonly #activity: Ring<ActivityRecord>;
  readonly #logs: Ring<LogRecord>;
  readonly #now: () => number;
  readonly #subscribers = new Set<() => void>();
  #seq = 0;

  constructor(options: ActivityStoreOptions = {}) {
    this.#activity = new Ring(options.capacity ?? 5000);
    this.#logs = new Ring(options.logCapacity ?? 5000);
    this.#now = options.now ?? Date.now;
  }

  /** Records a settled invocation that started at `at`. */
  readonly recordInvocation = (
    functionId: string,
    event: unknown,
    at: number,
    result: InvocationOutcome,
  ): void => {
    this.#add(this.#activity, { kind: 'invocation', seq: ++this.#seq, at, functionId, event, result });
  };

  /** Records an event the bus accepted, with the rules it matched. */
  readonly recordEvent = (put: {
    readonly busName: string;
    readonly event: EventBridgeEvent;
    readonly rules: readonly string[];
  }): void => {
    this.#add(this.#activity, { kind: 'event', seq: ++this.#seq, at: this.#now(), ...put });
  };

  /** Records what fauxqs reports of a message (sent, deleted, moved to its DLQ). */
  readonly recordMessage = (message: SqsSpyMessage): void => {
    const status = SPY_STATUS[message.status];
    this.#add(this.#activity, {
      kind: 'message',
      seq: ++this.#seq,
      at: message.timestamp,
      queue: message.queueName,
      messageId: message.messageId,
      status,
      body: message.body,
    });
  };

  /** Records a `@connections` POST. */
  readonly recordPush = (push: {
    readonly connectionId: string;
    readonly data: Buffer;
    readonly delivered: boolean;
  }): void => {
    this.#add(this.#activity, { kind: 'push', seq: ++this.#seq, at: this.#now(), ...push });
  };

  /** Records one function log line. */
  readonly recordLog = (line: FunctionLogLine): void => {
    this.#add(this.#logs, { ...line, seq: ++this.#seq, at: this.#now() });
  };

  /** Activity records kept, oldest first. */
  activity(): ActivityRecord[] {
    return this.#activity.toArray();
  }

  /** Log lines kept, oldest first. */
  logs(): LogRecord[] {
    return this.#logs.toArray();
  }

  /** Activity and log records numbered after `seq`, oldest first. */
  since(seq: number): { readonly activity: ActivityRecord[]; readonly logs: LogRecord[] } {
    return { activity: after(this.#activity, seq), logs: after(this.#logs, seq) };
  }

  /** The activity record numbered `seq`, while it is kept. */
  find(seq: number): ActivityRecord | undefined {
    return find(this.#activity, seq);
  }

  /** The number of the newest record (0 before any). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Calls `listener` after each record until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.#subscribers.add(listener);
    return () => this.#subscribers.delete(listener);
  }

  #add<T extends { readonly seq: number }>(ring: Ring<T>, record: T): void {
    ring.push(record);
    if (this.#subscribers.size === 0) return;
    for (const listener of this.#subscribers) listener();
  }
}

const SPY_STATUS: Readonly<Record<SqsSpyMessage['status'], SqsMessageStatus>> = {
  published: 'sent',
  consumed: 'deleted',
  dlq: 'dead-lettered',
};

/** Records of `ring` numbered after `seq`, oldest first, found by walking back from the newest. */
function after<T extends { readonly seq: number }>(ring: Ring<T>, seq: number): T[] {
  const out: T[] = [];
  for (const item of ring.newestFirst()) {
    if (item.seq <= seq) break;
    out.push(item);
  }
  return out.reverse();
}

/** The record of `ring` numbered `seq`, while it is kept. */
function find<T extends { readonly seq: number }>(ring: Ring<T>, seq: number): T | undefined {
  for (const item of ring.newestFirst()) {
    if (item.seq < seq) return undefined;
    if (item.seq === seq) return item;
  }
  return undefined;
}
