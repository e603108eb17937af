import type { MiddyfiedHandler } from '@middy/core';
import {
  type MessageContract,
  type RequestEnvelope,
  requestEnvelopeBaseSchema,
} from '@quanta/contracts/envelope';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Observability } from '../observability/Observability';
import { type SqsRecordContext, sqsBatchHandler } from './sqsBatchHandler';

/** A handler of one message type, built with {@link on}. */
export interface MessageHandler<T extends z.ZodType = z.ZodType> {
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
export function on<T extends z.ZodType>(
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
  const dispatchable = requestEnvelopeBaseSchema.transform((base, ctx) => {
    const handler = byKey.get(`${base.type}@${base.version}`);
    if (handler === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `no handler for ${base.type} v${base.version} (handles ${known})`,
      });
      return z.NEVER;
    }
    const envelope = handler.contract.envelope.safeParse(base);
    if (!envelope.success) {
      for (const issue of envelope.error.issues)
        ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return { handler, envelope: envelope.data };
  });
  return sqsBatchHandler({
    parse: dispatchable,
    unwrap: 'none',
    handle: ({ handler, envelope }, context) => handler.handle(envelope, context),
    observability: options.observability,
  });
}
