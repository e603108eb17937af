import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { MessageContract, RequestEnvelope } from '@quanta/contracts/envelope';
import type { z } from 'zod';
import { MessagingError } from '../errors';
import { sendEnvelope } from './sendEnvelope';

/** Options of one request. */
export interface SendRequestOptions {
  /** Ties the reply to the requester's process (e.g. the order id or the client's correlation id). */
  readonly correlationId: string;
  /** After this instant the target must not act on the request. */
  readonly deadline: Date;
  /** Message id; pass a deterministic one to make re-sends recognisable. @default a random UUID */
  readonly messageId?: string;
}

/**
 * Sends requests to another quantum's request queue (the request/reply channel's requester side).
 *
 * @example
 * ```ts
 * await requests.send('catalog', ReserveStock, { orderId, items }, { correlationId: orderId, deadline });
 * ```
 */
export interface RequestSender {
  send<T extends z.ZodType>(
    target: string,
    contract: MessageContract<T>,
    payload: z.infer<T>,
    options: SendRequestOptions,
  ): Promise<RequestEnvelope<z.infer<T>>>;
}

/** Options of {@link SqsRequestSender}. */
export interface SqsRequestSenderOptions {
  readonly client: SQSClient;
  /** This quantum's name: the target replies to its reply queue. */
  readonly requester: string;
  /** Target quantum -> its request queue URL (see `requestQueueUrlsFrom`). */
  readonly queueUrls: Readonly<Record<string, string>>;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * {@link RequestSender} over SQS: the message body is the request envelope as JSON, validated
 * against its contract before it leaves (both sides validate).
 *
 * @example
 * ```ts
 * const requests = new SqsRequestSender({ client: new SQSClient({}), requester: 'orders', queueUrls: requestQueueUrlsFrom(process.env) });
 * ```
 */
export class SqsRequestSender implements RequestSender {
  constructor(private readonly options: SqsRequestSenderOptions) {}

  async send<T extends z.ZodType>(
    target: string,
    contract: MessageContract<T>,
    payload: z.infer<T>,
    options: SendRequestOptions,
  ): Promise<RequestEnvelope<z.infer<T>>> {
    const queueUrl = this.options.queueUrls[target];
    if (queueUrl === undefined) {
      throw new MessagingError(
        `No request queue for '${target}' (REQUEST_QUEUE_URL_${target.toUpperCase()} is not set); known: ${Object.keys(this.options.queueUrls).join(', ') || 'none'}`,
      );
    }
    const envelope = contract.envelope.parse({
      messageId: options.messageId ?? randomUUID(),
      correlationId: options.correlationId,
      replyTo: this.options.requester,
      deadline: options.deadline.toISOString(),
      type: contract.type,
      version: contract.version,
      payload,
    });
    await sendEnvelope(this.options.client, queueUrl, envelope, `${contract.type} to ${target}`);
    return envelope;
  }
}
