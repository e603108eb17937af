import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AnyRequestEnvelope, MessageContract } from '@quanta/contracts/envelope';
import type { z } from 'zod';
import { MessagingError } from '../errors';
import { sendEnvelope } from './sendEnvelope';

/**
 * Sends the answer to a request to the requester's reply queue (the replier side). The reply keeps
 * the request's correlation id and deadline; `replyTo` names the replier.
 *
 * @example
 * ```ts
 * await replies.reply(request, StockReserved, { orderId: request.payload.orderId });
 * ```
 */
export interface ReplySender {
  reply<T extends z.ZodType>(
    request: AnyRequestEnvelope,
    contract: MessageContract<T>,
    payload: z.infer<T>,
  ): Promise<void>;
}

/** Options of {@link SqsReplySender}. */
export interface SqsReplySenderOptions {
  readonly client: SQSClient;
  /** This quantum's name (the reply's `replyTo`). */
  readonly replier: string;
  /** Requesting quantum -> its reply queue URL (see `replyQueueUrlsFrom`). */
  readonly replyQueueUrls: Readonly<Record<string, string>>;
}

/**
 * {@link ReplySender} over SQS. A reply can go only to a registered requester's reply queue: a
 * request naming anyone else in `replyTo` is refused (so a forged request cannot make us write to
 * an arbitrary queue).
 *
 * @example
 * ```ts
 * const replies = new SqsReplySender({ client, replier: 'catalog', replyQueueUrls: replyQueueUrlsFrom(process.env) });
 * ```
 */
export class SqsReplySender implements ReplySender {
  constructor(private readonly options: SqsReplySenderOptions) {}

  async reply<T extends z.ZodType>(
    request: AnyRequestEnvelope,
    contract: MessageContract<T>,
    payload: z.infer<T>,
  ): Promise<void> {
    const queueUrl = this.options.replyQueueUrls[request.replyTo];
    if (queueUrl === undefined) {
      throw new MessagingError(
        `Cannot reply to '${request.replyTo}': no REPLY_QUEUE_URL_${request.replyTo.toUpperCase()} (registered requesters: ${Object.keys(this.options.replyQueueUrls).join(', ') || 'none'})`,
      );
    }
    const envelope = contract.envelope.parse({
      messageId: randomUUID(),
      correlationId: request.correlationId,
      replyTo: this.options.replier,
      deadline: request.deadline,
      type: contract.type,
      version: contract.version,
      payload,
    });
    await sendEnvelope(
      this.options.client,
      queueUrl,
      envelope,
      `${contract.type} reply to ${request.replyTo}`,
    );
  }
}
