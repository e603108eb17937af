// The two sending ends of request/reply over SQS: a requester's requests to another quantum's
// request queue, a replier's answers to the requester's reply queue, and where their queue URLs come from.
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AnyRequestEnvelope, MessageContract, RequestEnvelope } from '@quanta/contracts/envelope';
import type * as z from '@quanta/contracts/zod';
import { ENV } from '../config/environment';
import { MessagingError } from '../errors';

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
  send<T extends z.ZodMiniType>(
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

  async send<T extends z.ZodMiniType>(
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

/**
 * The request queues this function may send to, from `REQUEST_QUEUE_URL_<TARGET>` variables.
 *
 * @example
 * ```ts
 * requestQueueUrlsFrom(process.env); // { catalog: 'https://sqs…/quanta-catalog-requests', payments: '…' }
 * ```
 */
export function requestQueueUrlsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  return urlsWithPrefix(env, ENV.requestQueueUrlPrefix);
}

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
  reply<T extends z.ZodMiniType>(
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

  async reply<T extends z.ZodMiniType>(
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

/**
 * The reply queues this request handler may answer to, from `REPLY_QUEUE_URL_<SENDER>` variables.
 *
 * @example
 * ```ts
 * replyQueueUrlsFrom(process.env); // { orders: 'https://sqs…/quanta-orders-replies' }
 * ```
 */
export function replyQueueUrlsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  return urlsWithPrefix(env, ENV.replyQueueUrlPrefix);
}

/**
 * Puts one request or reply envelope on a queue (body = the envelope as JSON, `type` as a message
 * attribute for filtering and tooling). A refusal becomes a {@link MessagingError} naming `what`.
 */
async function sendEnvelope(
  client: SQSClient,
  queueUrl: string,
  envelope: { readonly type: string },
  what: string,
): Promise<void> {
  try {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(envelope),
        MessageAttributes: { type: { DataType: 'String', StringValue: envelope.type } },
      }),
    );
  } catch (cause) {
    throw new MessagingError(`Sending ${what} failed`, { cause });
  }
}

function urlsWithPrefix(env: NodeJS.ProcessEnv, prefix: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(prefix) && key.length > prefix.length && value !== undefined && value !== '') {
      urls[key.slice(prefix.length).toLowerCase()] = value;
    }
  }
  return urls;
}
