import type { QuantaPlan } from '@quanta/runtime/manifest';
import { batchItemFailuresOf } from '../lambda/batchItemFailuresOf';
import type { ActivityRecord, InvocationOutcome } from './ActivityStore';

/** What started an invocation, read from the shape of its event. */
export type TriggerKind =
  | 'http'
  | 'authorizer'
  | 'facade'
  | 'sqs'
  | 'stream'
  | 'schedule'
  | 'websocket'
  | 'direct';

/** How a row of the activity list ended. */
export type ActivityOutcome =
  | 'ok'
  | 'error'
  | 'partial'
  | 'sent'
  | 'received'
  | 'failed'
  | 'deleted'
  | 'dead-lettered'
  | 'matched'
  | 'unmatched'
  | 'delivered'
  | 'gone';

/**
 * One row of the console's activity list and one step of a trace: a summary of an
 * {@link ActivityRecord}, plain data ready for JSON. An SQS invocation yields its own row plus one
 * `received` or `failed` row per message.
 */
export interface ActivityEntry {
  /** `<seq>`, or `<seq>.<n>` for the n-th message row of an SQS invocation. */
  readonly id: string;
  readonly seq: number;
  /** Epoch ms. */
  readonly at: number;
  readonly kind: ActivityRecord['kind'];
  /** The quantum the step happened in (a message: the quantum consuming its queue). */
  readonly quantum?: string;
  readonly functionId?: string;
  readonly trigger?: TriggerKind;
  /** What happened, in a line: `POST /orders → 202`, `ReserveStock sent to quanta-catalog-requests`. */
  readonly title: string;
  readonly outcome: ActivityOutcome;
  readonly durationMs?: number;
  readonly coldStart?: boolean;
  /** The function's error (`Sandbox.Timedout: …`), when it failed. */
  readonly error?: string;
  /** Correlation ids the step carried (an SQS batch may carry several). */
  readonly correlationIds: readonly string[];
  /** Order ids the step carried: how a trace is found from an order. */
  readonly orderIds: readonly string[];
}

/** What the summaries need to know of the plan: who owns which queue, source and function. */
export interface ActivityDirectory {
  readonly prefix: string;
  /** The quantum consuming a queue (a DLQ: its source queue's consumer). */
  readonly quantumOfQueue: ReadonlyMap<string, string>;
  /** The quantum publishing with an event source (`quanta.orders` → `orders`). */
  readonly quantumOfSource: ReadonlyMap<string, string>;
}

/**
 * The directory of a plan.
 *
 * @example
 * ```ts
 * activityDirectoryOf(plan).quantumOfQueue.get('quanta-catalog-requests'); // 'catalog'
 * ```
 */
export function activityDirectoryOf(plan: QuantaPlan): ActivityDirectory {
  const quantumOfQueue = new Map<string, string>();
  const quantumOfSource = new Map<string, string>();
  for (const q of plan.quanta) {
    quantumOfSource.set(q.publishes.source, q.name);
    for (const queue of q.queues) {
      quantumOfQueue.set(queue.name, queue.consumer.quantum);
      quantumOfQueue.set(queue.deadLetterQueue.name, queue.consumer.quantum);
    }
    for (const schedule of q.schedules) quantumOfQueue.set(schedule.deadLetterQueue, q.name);
    if (q.outboxDeadLetterQueue !== undefined) quantumOfQueue.set(q.outboxDeadLetterQueue, q.name);
  }
  return { prefix: plan.prefix, quantumOfQueue, quantumOfSource };
}

/**
 * The rows of one record (see {@link ActivityEntry}). Pure: the caller memoises (records never
 * change), so each is read once however often it is shown.
 *
 * @example
 * ```ts
 * describeActivity(record, directory)[0]?.title; // 'POST /orders → 202'
 * ```
 */
export function describeActivity(record: ActivityRecord, directory: ActivityDirectory): ActivityEntry[] {
  switch (record.kind) {
    case 'invocation':
      return describeInvocation(record, directory);
    case 'event': {
      const ids = idsIn(record.event.detail);
      const quantum = directory.quantumOfSource.get(record.event.source);
      return [
        {
          id: String(record.seq),
          seq: record.seq,
          at: record.at,
          kind: 'event',
          ...(quantum === undefined ? {} : { quantum }),
          title: `${record.event['detail-type']} from ${record.event.source} → ${
            record.rules.length === 0 ? 'no rule' : record.rules.join(', ')
          }`,
          outcome: record.rules.length === 0 ? 'unmatched' : 'matched',
          ...ids,
        },
      ];
    }
    case 'message': {
      const body = parseJson(record.body);
      const ids = idsIn(body);
      const quantum = directory.quantumOfQueue.get(record.queue);
      const verb = { sent: 'sent to', deleted: 'deleted from', 'dead-lettered': 'dead-lettered from' }[
        record.status
      ];
      return [
        {
          id: String(record.seq),
          seq: record.seq,
          at: record.at,
          kind: 'message',
          ...(quantum === undefined ? {} : { quantum }),
          title: `${messageTypeOf(body)} ${verb} ${record.queue}`,
          outcome: record.status,
          ...ids,
        },
      ];
    }
    case 'push': {
      const frame = parseJson(record.data.toString('utf8'));
      const ids = idsIn(frame);
      const type = isObject(frame) && typeof frame.type === 'string' ? frame.type : 'message';
      const status = isObject(frame) && typeof frame.status === 'string' ? ` ${frame.status}` : '';
      return [
        {
          id: String(record.seq),
          seq: record.seq,
          at: record.at,
          kind: 'push',
          quantum: 'platform',
          title: `WebSocket push: ${type}${status} to ${record.connectionId}`,
          outcome: record.delivered ? 'delivered' : 'gone',
          ...ids,
        },
      ];
    }
  }
}

function describeInvocation(
  record: ActivityRecord & { kind: 'invocation' },
  directory: ActivityDirectory,
): ActivityEntry[] {
  const { functionId, event, result } = record;
  const quantum = functionId.slice(0, functionId.indexOf('.'));
  const trigger = triggerOf(event);
  const payload = 'payload' in result ? result.payload : undefined;
  const failedIds = failedMessagesOf(trigger, event, result);
  const outcome: ActivityOutcome = !result.ok ? 'error' : failedIds.size > 0 ? 'partial' : 'ok';
  const ids = invocationIds(trigger, event, payload);
  const main: ActivityEntry = {
    id: String(record.seq),
    seq: record.seq,
    at: record.at,
    kind: 'invocation',
    quantum,
    functionId,
    trigger,
    title: `${functionId}: ${invocationTitle(trigger, event, payload, directory)}`,
    outcome,
    ...('durationMs' in result ? { durationMs: result.durationMs, coldStart: result.coldStart } : {}),
    ...errorOf(result),
    ...ids,
  };
  if (trigger !== 'sqs') return [main];
  const rows = recordsOf(event).map((message, n): ActivityEntry => {
    const body = parseJson(message.body);
    const failed = !result.ok || failedIds.has(message.messageId);
    const queue = message.queue;
    return {
      id: `${record.seq}.${n + 1}`,
      seq: record.seq,
      at: record.at,
      kind: 'message',
      quantum: directory.quantumOfQueue.get(queue) ?? quantum,
      functionId,
      title: `${messageTypeOf(body)} ${failed ? 'failed in' : 'received by'} ${functionId} from ${queue}`,
      outcome: failed ? 'failed' : 'received',
      ...idsIn(body),
    };
  });
  return [main, ...rows];
}

/**
 * What started an invocation, from its event's shape (every local engine builds AWS's shapes).
 *
 * @example
 * ```ts
 * triggerOf({ Records: [{ eventSource: 'aws:sqs' }] }); // 'sqs'
 * ```
 */
export function triggerOf(event: unknown): TriggerKind {
  if (!isObject(event)) return 'direct';
  const records = event.Records;
  if (Array.isArray(records) && isObject(records[0])) {
    if (records[0].eventSource === 'aws:sqs') return 'sqs';
    if (records[0].eventSource === 'aws:dynamodb') return 'stream';
  }
  if (event.source === 'quanta.scheduler') return 'schedule';
  if (event.type === 'REQUEST') return 'authorizer';
  const context = event.requestContext;
  if (isObject(context)) {
    if (typeof context.eventType === 'string') return 'websocket';
    if (typeof event.httpMethod === 'string') return 'facade';
    if (isObject(context.http)) return 'http';
  }
  return 'direct';
}

function invocationTitle(
  trigger: TriggerKind,
  event: unknown,
  payload: unknown,
  directory: ActivityDirectory,
): string {
  const e = isObject(event) ? event : {};
  const context = isObject(e.requestContext) ? e.requestContext : {};
  switch (trigger) {
    case 'http': {
      const http = isObject(context.http) ? context.http : {};
      const status = isObject(payload) && typeof payload.statusCode === 'number' ? payload.statusCode : 200;
      return `${String(http.method)} ${String(e.rawPath)} → ${status}`;
    }
    case 'authorizer': {
      const http = isObject(context.http) ? context.http : {};
      const verdict =
        isObject(payload) && typeof payload.isAuthorized === 'boolean'
          ? payload.isAuthorized
            ? 'allowed'
            : 'denied'
          : 'no verdict';
      return `authorize ${String(http.method ?? context.routeKey ?? '')} ${String(e.rawPath ?? '')} → ${verdict}`;
    }
    case 'facade': {
      const operation = String(e.path).split('/').at(-1);
      const identity = isObject(context.identity) ? context.identity : {};
      const caller = callerOf(identity.userArn, directory.prefix);
      const status =
        isObject(payload) && typeof payload.statusCode === 'number' ? ` → ${payload.statusCode}` : '';
      return `facade ${operation}${caller === undefined ? '' : ` from ${caller}`}${status}`;
    }
    case 'sqs': {
      const messages = recordsOf(event);
      const types = [...new Set(messages.map((m) => messageTypeOf(parseJson(m.body))))].join(', ');
      const queue = messages[0]?.queue ?? '?';
      return `${messages.length} message${messages.length === 1 ? '' : 's'} (${types}) from ${queue}`;
    }
    case 'stream': {
      const count = Array.isArray(e.Records) ? e.Records.length : 0;
      return `${count} stream record${count === 1 ? '' : 's'}`;
    }
    case 'schedule':
      return `schedule ${String(e.scheduleId)}`;
    case 'websocket':
      return `WebSocket ${String(context.routeKey)}`;
    case 'direct':
      return 'invoked';
  }
}

/** `arn:aws:sts::…:assumed-role/<role>/<prefix>-<quantum>` → `<quantum>`. */
function callerOf(userArn: unknown, prefix: string): string | undefined {
  if (typeof userArn !== 'string') return undefined;
  const session = userArn.split('/').at(-1) ?? '';
  return session.startsWith(`${prefix}-`) ? session.slice(prefix.length + 1) : undefined;
}

function errorOf(result: InvocationOutcome): { readonly error?: string } {
  if (result.ok) return {};
  if ('rejected' in result) {
    const rejected = result.rejected;
    return { error: rejected instanceof Error ? `${rejected.name}: ${rejected.message}` : String(rejected) };
  }
  return { error: `${result.error.errorType}: ${result.error.errorMessage}` };
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly queue: string;
}

function recordsOf(event: unknown): QueuedMessage[] {
  if (!isObject(event) || !Array.isArray(event.Records)) return [];
  return event.Records.filter(isObject).map((r) => ({
    messageId: String(r.messageId),
    body: typeof r.body === 'string' ? r.body : '',
    queue: String(r.eventSourceARN).split(':').at(-1) ?? '',
  }));
}

/** The message ids an SQS invocation left on its queue (all of them when it failed). */
function failedMessagesOf(trigger: TriggerKind, event: unknown, result: InvocationOutcome): Set<string> {
  if (trigger !== 'sqs') return new Set();
  const ids = recordsOf(event).map((m) => m.messageId);
  if (!result.ok) return new Set(ids);
  const verdict = batchItemFailuresOf(result.payload, ids);
  if (verdict.kind === 'partial') return new Set(verdict.failed);
  return verdict.kind === 'failure' ? new Set(ids) : new Set();
}

/**
 * The type a message body names: `ReserveStock` (a request envelope), `OrderConfirmed` (an
 * EventBridge event), else `message`.
 *
 * @example
 * ```ts
 * messageTypeOf({ type: 'ReserveStock', payload: {} }); // 'ReserveStock'
 * ```
 */
export function messageTypeOf(body: unknown): string {
  if (!isObject(body)) return 'message';
  if (typeof body['detail-type'] === 'string') return body['detail-type'];
  if (typeof body.type === 'string') return body.type;
  return 'message';
}

const CORRELATION_HEADER = 'x-correlation-id';

/** The correlation and order ids an invocation carried, in its event and (HTTP) its response. */
function invocationIds(
  trigger: TriggerKind,
  event: unknown,
  payload: unknown,
): Pick<ActivityEntry, 'correlationIds' | 'orderIds'> {
  const found = new IdSets();
  const e = isObject(event) ? event : {};
  if (trigger === 'http' || trigger === 'authorizer' || trigger === 'facade') {
    // The id the request carried (a caller's header), else the request id the runtime falls back to.
    // A carried id counts even when the runtime would not adopt it (it refuses some characters), so
    // the step still joins the trace of the caller that sent it.
    const header = headerOf(e.headers, CORRELATION_HEADER);
    const context = isObject(e.requestContext) ? e.requestContext : {};
    const requestId = typeof context.requestId === 'string' ? context.requestId : undefined;
    const id = header !== undefined && header.length <= 128 ? header : requestId;
    if (id !== undefined) found.correlationIds.add(id);
    found.walk(parseJson(e.body));
    if (isObject(payload)) {
      // What a public route answered under (the id a client sees); a facade's answer would only add
      // the callee's own id next to the caller's.
      const echoed = trigger === 'http' ? headerOf(payload.headers, CORRELATION_HEADER) : undefined;
      if (echoed !== undefined) found.correlationIds.add(echoed);
      found.walk(parseJson(payload.body));
    }
  } else if (trigger === 'sqs' || trigger === 'stream') {
    found.walk(e.Records);
  }
  return found.toEntry();
}

/**
 * The correlation and order ids anywhere in `value`: fields named `correlationId` and `orderId`, in
 * nested objects and in JSON text (an SQS body, an outbox item's envelope), DynamoDB's `{ S }`
 * wrappers unwrapped.
 *
 * @example
 * ```ts
 * idsIn({ body: '{"correlationId":"c-1","payload":{"orderId":"o-1"}}' }); // { correlationIds: ['c-1'], orderIds: ['o-1'] }
 * ```
 */
export function idsIn(value: unknown): Pick<ActivityEntry, 'correlationIds' | 'orderIds'> {
  const found = new IdSets();
  found.walk(value);
  return found.toEntry();
}

const MAX_DEPTH = 12;
const MAX_JSON_TEXT = 256 * 1024;

class IdSets {
  readonly correlationIds = new Set<string>();
  readonly orderIds = new Set<string>();

  walk(value: unknown, depth = 0): void {
    if (depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      const parsed = parseJson(value);
      if (parsed !== undefined) this.walk(parsed, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'correlationId' || key === 'orderId') {
        const text = stringOf(item);
        if (text !== undefined) (key === 'orderId' ? this.orderIds : this.correlationIds).add(text);
        continue;
      }
      this.walk(item, depth + 1);
    }
  }

  toEntry(): Pick<ActivityEntry, 'correlationIds' | 'orderIds'> {
    return { correlationIds: [...this.correlationIds], orderIds: [...this.orderIds] };
  }
}

/** A string, or DynamoDB's `{ "S": "…" }`. */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.S === 'string') return value.S;
  return undefined;
}

/**
 * JSON text's value, or undefined for anything that is not a JSON object or array (or is over 256 KB).
 *
 * @example
 * ```ts
 * parseJson('{"type":"ReserveStock"}'); // { type: 'ReserveStock' }
 * parseJson('plain text'); // undefined
 * ```
 */
export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text.length > MAX_JSON_TEXT) return undefined;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
