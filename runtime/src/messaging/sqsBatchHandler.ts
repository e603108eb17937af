// SQS consumers with partial batch failures: `sqsBatchHandler` for any schema (an event inbox's
// EventBridge events by default), and `messageBatchHandler` on top of it for request/reply envelopes.
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddyfiedHandler } from '@middy/core';
import {
  type AnyRequestEnvelope,
  type MessageContract,
  type RequestEnvelope,
  requestEnvelopeBaseSchema,
} from '@quanta/contracts/envelope';
import * as z from '@quanta/contracts/zod';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { IdempotencyStore } from '../idempotency/DynamoDbIdempotencyStore';
import { type Observability, observedHandler, redactCardNumbers } from '../observability/Observability';

/** What a record handler gets besides the parsed item. */
export interface SqsRecordContext {
  readonly messageId: string;
  /** How many times SQS has delivered this message (1 on the first delivery). */
  readonly receiveCount: number;
  /** The raw record. */
  readonly record: SQSRecord;
  readonly logger: Logger;
}

/** Options of {@link sqsBatchHandler}. */
export interface SqsBatchHandlerOptions<S extends z.core.$ZodType> {
  /** Schema of one item: the EventBridge `detail` (an event contract's `envelope`), or the whole body with `unwrap: 'none'`. */
  readonly parse: S;
  /** Processes one item; throw to have the message retried (and eventually dead-lettered). */
  readonly handle: (item: z.infer<S>, context: SqsRecordContext) => Promise<void>;
  /** Makes `handle` run once per key across redeliveries. @default none */
  readonly idempotency?: IdempotencyStore;
  /** Idempotency key of an item. @default the item's `id` (event id), else its `messageId`, else the SQS message id */
  readonly idempotencyKey?: (item: z.infer<S>, record: SQSRecord) => string;
  /** `eventbridge`: the body is an EventBridge event whose `detail` is the item; `none`: the body is the item. @default 'eventbridge' */
  readonly unwrap?: 'eventbridge' | 'none';
  readonly observability: Observability;
}

/** The EventBridge event as an SQS rule target delivers it in the message body. */
const eventBridgeEventSchema = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});

/**
 * An SQS consumer with partial batch failures (`ReportBatchItemFailures`), on Powertools' batch
 * processor: each record's body is parsed (EventBridge event, then `detail` with `parse`) and handed
 * to `handle`, one record at a time, in order. The result lists only the failed message ids (all of
 * them when every record failed: the batch is never failed as a whole). A record that is not JSON or
 * fails the schema is a poison message: it is logged and reported as failed, so SQS redelivers it
 * until `maxReceiveCount` moves it to the DLQ — never lost, never crashing the batch. In a FIFO
 * batch, records after a failure in the same message group are failed too, keeping group order.
 *
 * @example
 * ```ts
 * export const handler = sqsBatchHandler({
 *   parse: SessionRevoked.envelope,
 *   handle: async (event) => service.denySession(event.data),
 *   idempotency: new DynamoDbIdempotencyStore({ client, tableName }),
 *   observability,
 * });
 * ```
 */
export function sqsBatchHandler<S extends z.core.$ZodType>(
  options: SqsBatchHandlerOptions<S>,
): MiddyfiedHandler<SQSEvent, SQSBatchResponse> {
  const { metrics } = options.observability;
  const handleRecord = recordHandler(options);
  return observedHandler(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      // A processor holds one batch's state, so each invocation gets its own.
      const result = event.Records.some((r) => r.attributes.MessageGroupId !== undefined)
        ? await processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), {
            context,
            skipGroupOnError: true,
            throwOnFullBatchFailure: false,
          })
        : await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
            context,
            processInParallel: false,
            throwOnFullBatchFailure: false,
          });
      metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
      metrics.addMetric('RecordsFailed', MetricUnit.Count, result.batchItemFailures.length);
      return result;
    },
    { observability: options.observability },
  );
}

/** Handles one record; throws (after logging why) to have it reported as failed. */
function recordHandler<S extends z.core.$ZodType>(
  options: SqsBatchHandlerOptions<S>,
): (record: SQSRecord) => Promise<void> {
  const { logger } = options.observability;
  const keyOf = options.idempotencyKey ?? defaultKeyOf;
  return async (record) => {
    const parsed = parseRecord(record, options);
    if (!parsed.ok) {
      logger.error('Poison message: reporting it as failed so it reaches the DLQ', {
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        reason: parsed.reason,
        // Raw bodies may carry card numbers (AuthorizePayment): never log one whole.
        body: redactCardNumbers(record.body.slice(0, 1024)),
      });
      throw new Error(`Poison message ${record.messageId}: ${parsed.reason}`);
    }
    const context: SqsRecordContext = {
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount ?? '1'),
      record,
      logger,
    };
    try {
      const run = () => options.handle(parsed.item, context);
      if (options.idempotency === undefined) {
        await run();
      } else {
        const key = keyOf(parsed.item, record);
        const outcome = await options.idempotency.once(key, run);
        if (outcome === 'DUPLICATE')
          logger.info('Duplicate message skipped', { messageId: record.messageId, key });
      }
    } catch (error) {
      logger.error('Message processing failed; it will be retried', {
        messageId: record.messageId,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
      // The batch processor reads `error.message`: a thrown non-Error must not fail the whole batch.
      throw error instanceof Error ? error : new Error(String(error), { cause: error });
    }
  };
}

type ParsedRecord<T> = { ok: true; item: T } | { ok: false; reason: string };

function parseRecord<S extends z.core.$ZodType>(
  record: SQSRecord,
  options: Pick<SqsBatchHandlerOptions<S>, 'parse' | 'unwrap'>,
): ParsedRecord<z.infer<S>> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
  let candidate = body;
  if ((options.unwrap ?? 'eventbridge') === 'eventbridge') {
    const event = z.safeParse(eventBridgeEventSchema, body);
    if (!event.success)
      return { ok: false, reason: `body is not an EventBridge event: ${summary(event.error)}` };
    candidate = event.data.detail;
  }
  const item = z.safeParse(options.parse, candidate);
  if (!item.success) return { ok: false, reason: `item fails its schema: ${summary(item.error)}` };
  return { ok: true, item: item.data };
}

function summary(error: z.core.$ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

function defaultKeyOf(item: unknown, record: SQSRecord): string {
  if (typeof item === 'object' && item !== null) {
    const { id, messageId } = item as { id?: unknown; messageId?: unknown };
    if (typeof id === 'string') return id;
    if (typeof messageId === 'string') return messageId;
  }
  return record.messageId;
}

/** A handler of one message type, built with {@link on}. */
export interface MessageHandler<T extends z.ZodMiniType = z.ZodMiniType> {
  readonly contract: MessageContract<T>;
  readonly handle: (envelope: RequestEnvelope<z.infer<T>>, context: SqsRecordContext) => Promise<void>;
}

/**
 * Pairs a request/reply contract with the function that handles it.
 *
 * @example
 * ```ts
 * on(ReserveStock, async (request) => service.reserve(request));
 * ```
 */
export function on<T extends z.ZodMiniType>(
  contract: MessageContract<T>,
  handle: (envelope: RequestEnvelope<z.infer<T>>, context: SqsRecordContext) => Promise<void>,
): MessageHandler<T> {
  return { contract, handle };
}

/** Options of {@link messageBatchHandler}. */
export interface MessageBatchHandlerOptions {
  // biome-ignore lint/suspicious/noExplicitAny: handlers of different payload types share one list.
  readonly handlers: ReadonlyArray<MessageHandler<any>>;
  readonly observability: Observability;
}

/**
 * SQS consumer of request or reply envelopes (the body is the envelope JSON): each record is parsed
 * as an envelope, matched by `type` and `version` to its contract and validated with it, then handed
 * to that contract's handler; partial batch failures as in `sqsBatchHandler`. An unknown type or
 * version, or a payload failing its contract, is a poison message (reported failed, so it reaches
 * the DLQ after maxReceiveCount: never lost, never crashing the batch); a handler that throws has its
 * message retried.
 *
 * @example
 * ```ts
 * export const handler = messageBatchHandler({
 *   handlers: [on(ReserveStock, (r) => stock.reserve(r)), on(ReleaseStock, (r) => stock.release(r))],
 *   observability,
 * });
 * ```
 */
export function messageBatchHandler(
  options: MessageBatchHandlerOptions,
): MiddyfiedHandler<SQSEvent, SQSBatchResponse> {
  const byKey = new Map<string, MessageHandler>();
  for (const handler of options.handlers) {
    const key = `${handler.contract.type}@${handler.contract.version}`;
    if (byKey.has(key)) throw new TypeError(`Two handlers for message ${key}`);
    byKey.set(key, handler);
  }
  const known = [...byKey.keys()].join(', ');
  const dispatchable = z.pipe(
    requestEnvelopeBaseSchema,
    z.transform((base: AnyRequestEnvelope, payload) => {
      const handler = byKey.get(`${base.type}@${base.version}`);
      if (handler === undefined) {
        payload.issues.push({
          code: 'custom',
          message: `no handler for ${base.type} v${base.version} (handles ${known})`,
          input: base,
        });
        return z.NEVER;
      }
      const envelope = handler.contract.envelope.safeParse(base);
      if (!envelope.success) {
        for (const issue of envelope.error.issues)
          payload.issues.push({ ...issue, code: 'custom', input: base });
        return z.NEVER;
      }
      return { handler, envelope: envelope.data };
    }),
  );
  return sqsBatchHandler({
    parse: dispatchable,
    unwrap: 'none',
    handle: ({ handler, envelope }, context) => handler.handle(envelope, context),
    observability: options.observability,
  });
}
