import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { QuantaPlan } from '@quanta/runtime/manifest';
import { redactCardNumbers } from '@quanta/runtime/observability/redact';
import type { FauxqsServer } from 'fauxqs';
import { idsIn, messageTypeOf, parseJson } from './describeActivity';
import { NotRedrivableError, UnknownDeadLetterQueueError } from './errors';

/** A dead-letter queue of the plan and where its messages come from. */
export interface DeadLetterQueue {
  readonly name: string;
  /**
   * `queue`: a queue's DLQ (its messages can go back to `source`); `schedule` and `outbox`: the
   * on-failure destination of a schedule or an outbox relay (failure records, nothing to redrive).
   */
  readonly kind: 'queue' | 'schedule' | 'outbox';
  readonly quantum: string;
  /** The function whose failures end here. */
  readonly functionId: string;
  /** The queue its messages are redriven to (kind `queue` only). */
  readonly source?: string;
  /** Receives after which the source queue moves a message here. */
  readonly maxReceiveCount?: number;
}

/** A message waiting in a dead-letter queue, as the console shows it. */
export interface DeadLetterMessage {
  readonly messageId: string;
  /** Epoch ms it was first sent (to the source queue). */
  readonly sentAt: number;
  /** Receives so far (the source queue's, which moved it here). */
  readonly receiveCount: number;
  /** `ReserveStock`, `ProductRenamed`, … */
  readonly type: string;
  readonly correlationIds: readonly string[];
  readonly orderIds: readonly string[];
  /** The body, card numbers masked, cut at 4 KB. */
  readonly body: string;
  /** True while a consumer (or a redrive) has it received and invisible. */
  readonly inFlight: boolean;
}

/** A dead-letter queue with what it holds now. */
export interface DeadLetterQueueState extends DeadLetterQueue {
  readonly redrivable: boolean;
  readonly depth: number;
  /** The oldest messages, at most 100. */
  readonly messages: readonly DeadLetterMessage[];
}

/** What one redrive did. */
export interface RedriveResult {
  readonly queue: string;
  readonly to: string;
  /** Messages sent to the source queue and deleted from the DLQ. */
  readonly moved: number;
  /** Messages left in the DLQ (or, if only the delete failed, possibly in both), with why. */
  readonly failed: readonly { readonly messageId: string; readonly reason: string }[];
}

/** A message fauxqs holds, as its `inspectQueue` reports it. */
export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
  readonly approximateReceiveCount: number;
}

/** Reads a queue's messages without receiving them (fauxqs's `inspectQueue`). */
export type QueuePeek = (
  name: string,
) => { readonly ready: readonly PeekedMessage[]; readonly inFlight: readonly PeekedMessage[] } | undefined;

/** Options of {@link DeadLetters}. */
export interface DeadLettersOptions {
  readonly plan: QuantaPlan;
  /** SQS API client of the local cloud's fauxqs. */
  readonly sqs: SQSClient;
  readonly peek: QueuePeek;
  /** How long a message received by a redrive stays invisible before it is sent back or released. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
}

const MAX_LISTED = 100;
const MAX_BODY = 4096;

/**
 * The plan's dead-letter queues: what each holds, and a redrive that moves a queue DLQ's messages
 * back to its source queue through the SQS API. fauxqs has no `StartMessageMoveTask`, so the move
 * is done as AWS's task does it, at least once: receive a batch (invisible for
 * `visibilityTimeoutSeconds`), `SendMessageBatch` it to the source queue with the same body and
 * attributes, and delete from the DLQ only what the send accepted. A message whose send failed is
 * made visible again at the end (it stays in the DLQ; it is not retried in the same run, so a
 * redrive always ends); a message whose delete failed is in both queues, and the idempotent
 * consumer absorbs its second copy if it is redriven again. Nothing is deleted before it was sent.
 *
 * @example
 * ```ts
 * const deadLetters = new DeadLetters({ plan, sqs, peek: (name) => peekFauxqs(server, name) });
 * await deadLetters.redrive('quanta-orders-product-renamed-dlq'); // { moved: 1, failed: [], … }
 * ```
 */
export class DeadLetters {
  readonly #queues: ReadonlyMap<string, DeadLetterQueue>;
  readonly #sqs: SQSClient;
  readonly #peek: QueuePeek;
  readonly #visibility: number;
  readonly #urls = new Map<string, Promise<string>>();

  constructor(options: DeadLettersOptions) {
    this.#queues = new Map(deadLetterQueuesOf(options.plan).map((q) => [q.name, q]));
    this.#sqs = options.sqs;
    this.#peek = options.peek;
    this.#visibility = options.visibilityTimeoutSeconds ?? 60;
  }

  /** Every dead-letter queue with its depth and oldest messages; the non-empty ones first. */
  list(): DeadLetterQueueState[] {
    return [...this.#queues.values()]
      .map((queue) => this.#stateOf(queue))
      .sort((a, b) => Number(b.depth > 0) - Number(a.depth > 0) || a.name.localeCompare(b.name));
  }

  /**
   * One dead-letter queue and what it holds.
   * @throws {UnknownDeadLetterQueueError} when `name` is not a DLQ of the plan.
   */
  get(name: string): DeadLetterQueueState {
    return this.#stateOf(this.#queueOf(name));
  }

  /**
   * Moves every message of DLQ `name` back to its source queue (see the class comment).
   * @throws {UnknownDeadLetterQueueError} when `name` is not a DLQ of the plan.
   * @throws {NotRedrivableError} when it is an on-failure destination with no source queue.
   */
  async redrive(name: string): Promise<RedriveResult> {
    const queue = this.#queueOf(name);
    const source = queue.source;
    if (source === undefined) throw new NotRedrivableError(name);
    const [from, to] = await Promise.all([this.#urlOf(queue.name), this.#urlOf(source)]);
    let moved = 0;
    const failed: { messageId: string; reason: string }[] = [];
    const unsent: Message[] = [];
    try {
      for (;;) {
        const { Messages: batch = [] } = await this.#sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: from,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            VisibilityTimeout: this.#visibility,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (batch.length === 0) break;
        const { sent, refused, error } = await this.#send(batch, to, source.endsWith('.fifo'));
        for (const { message, reason } of refused) {
          unsent.push(message);
          failed.push({ messageId: message.MessageId ?? '?', reason: `not sent to ${source}: ${reason}` });
        }
        moved += await this.#delete(sent, from, source, failed);
        // The source queue refuses everything (gone, or SQS down): stop rather than spin on the DLQ.
        if (error) break;
      }
    } finally {
      await this.#release(unsent, from);
    }
    return { queue: name, to: source, moved, failed };
  }

  /** Sends `batch` to the source queue as it was (body, attributes); reports what was refused and why. */
  async #send(
    batch: readonly Message[],
    to: string,
    fifo: boolean,
  ): Promise<{ sent: Message[]; refused: { message: Message; reason: string }[]; error: boolean }> {
    try {
      const { Successful = [], Failed = [] } = await this.#sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: to,
          Entries: batch.map((m, i) => ({
            Id: String(i),
            MessageBody: m.Body ?? '',
            ...(m.MessageAttributes === undefined ? {} : { MessageAttributes: m.MessageAttributes }),
            ...(fifo
              ? {
                  MessageGroupId: m.Attributes?.MessageGroupId ?? 'redrive',
                  MessageDeduplicationId: m.Attributes?.MessageDeduplicationId ?? m.MessageId,
                }
              : {}),
          })),
        }),
      );
      const at = (id: string | undefined): Message | undefined => batch[Number(id)];
      return {
        sent: Successful.map((r) => at(r.Id)).filter((m): m is Message => m !== undefined),
        refused: Failed.flatMap((f) => {
          const message = at(f.Id);
          return message === undefined ? [] : [{ message, reason: `${f.Code} ${f.Message ?? ''}`.trim() }];
        }),
        error: false,
      };
    } catch (error) {
      const reason = (error as Error).message;
      return { sent: [], refused: batch.map((message) => ({ message, reason })), error: true };
    }
  }

  /** Deletes what was sent from the DLQ; returns how many are gone, reporting the rest in `failed`. */
  async #delete(
    sent: readonly Message[],
    from: string,
    source: string,
    failed: { messageId: string; reason: string }[],
  ): Promise<number> {
    if (sent.length === 0) return 0;
    const twice = (code: string): string =>
      `sent to ${source} but not deleted from the DLQ (${code}); it returns to the DLQ, and a second redrive would send it again`;
    try {
      const { Failed: undeleted = [] } = await this.#sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: from,
          Entries: sent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const f of undeleted)
        failed.push({ messageId: sent[Number(f.Id)]?.MessageId ?? '?', reason: twice(f.Code ?? '?') });
      return sent.length - undeleted.length;
    } catch (error) {
      for (const m of sent)
        failed.push({ messageId: m.MessageId ?? '?', reason: twice((error as Error).message) });
      return 0;
    }
  }

  /** Makes unsent messages visible in the DLQ again now, not after the redrive's visibility timeout. */
  async #release(unsent: readonly Message[], from: string): Promise<void> {
    for (let i = 0; i < unsent.length; i += 10) {
      await this.#sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: from,
            Entries: unsent
              .slice(i, i + 10)
              .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
          }),
        )
        // Still in the DLQ either way; it only stays invisible until the visibility timeout.
        .catch(() => undefined);
    }
  }

  #queueOf(name: string): DeadLetterQueue {
    const queue = this.#queues.get(name);
    if (queue === undefined) throw new UnknownDeadLetterQueueError(name);
    return queue;
  }

  #stateOf(queue: DeadLetterQueue): DeadLetterQueueState {
    const held = this.#peek(queue.name);
    const ready = held?.ready ?? [];
    const inFlight = held?.inFlight ?? [];
    const messages = [...ready.map((m) => messageOf(m, false)), ...inFlight.map((m) => messageOf(m, true))]
      .sort((a, b) => a.sentAt - b.sentAt)
      .slice(0, MAX_LISTED);
    return {
      ...queue,
      redrivable: queue.source !== undefined,
      depth: ready.length + inFlight.length,
      messages,
    };
  }

  #urlOf(name: string): Promise<string> {
    let url = this.#urls.get(name);
    if (url === undefined) {
      url = this.#sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(({ QueueUrl }) => {
        if (QueueUrl === undefined) throw new UnknownDeadLetterQueueError(name);
        return QueueUrl;
      });
      url.catch(() => this.#urls.delete(name));
      this.#urls.set(name, url);
    }
    return url;
  }
}

/**
 * The plan's dead-letter queues: each queue's DLQ, each schedule's and each outbox relay's
 * on-failure queue.
 *
 * @example
 * ```ts
 * deadLetterQueuesOf(plan).find((q) => q.source === 'quanta-catalog-requests')?.name; // 'quanta-catalog-requests-dlq'
 * ```
 */
export function deadLetterQueuesOf(plan: QuantaPlan): DeadLetterQueue[] {
  return plan.quanta.flatMap((q) => [
    ...q.queues.map(
      (queue): DeadLetterQueue => ({
        name: queue.deadLetterQueue.name,
        kind: 'queue',
        quantum: queue.consumer.quantum,
        functionId: `${queue.consumer.quantum}.${queue.consumer.function}`,
        source: queue.name,
        maxReceiveCount: queue.deadLetterQueue.maxReceiveCount,
      }),
    ),
    ...q.schedules.map(
      (s): DeadLetterQueue => ({
        name: s.deadLetterQueue,
        kind: 'schedule',
        quantum: q.name,
        functionId: `${q.name}.${s.function}`,
      }),
    ),
    ...q.functions.flatMap((fn) =>
      fn.triggers.flatMap((t): DeadLetterQueue[] =>
        t.kind === 'stream'
          ? [{ name: t.deadLetterQueue, kind: 'outbox', quantum: q.name, functionId: fn.id }]
          : [],
      ),
    ),
  ]);
}

/**
 * A {@link QueuePeek} over fauxqs's `inspectQueue`, which reads a queue without receiving (so
 * without touching receive counts or visibility). Delayed messages count as waiting.
 *
 * @example
 * ```ts
 * const peek = fauxqsPeek(sqsLocal.server);
 * peek('quanta-catalog-requests-dlq')?.ready.length; // 0
 * ```
 */
export function fauxqsPeek(server: Pick<FauxqsServer, 'inspectQueue'>): QueuePeek {
  return (name) => {
    const queue = server.inspectQueue(name);
    if (queue === undefined) return undefined;
    return {
      ready: [...queue.messages.ready, ...queue.messages.delayed],
      inFlight: queue.messages.inflight.map((entry) => entry.message),
    };
  };
}

function messageOf(m: PeekedMessage, inFlight: boolean): DeadLetterMessage {
  const body = parseJson(m.body);
  return {
    messageId: m.messageId,
    sentAt: m.sentTimestamp,
    receiveCount: m.approximateReceiveCount,
    type: messageTypeOf(body),
    ...idsIn(body),
    body: redactCardNumbers(m.body.length > MAX_BODY ? `${m.body.slice(0, MAX_BODY)}…` : m.body),
    inFlight,
  };
}
