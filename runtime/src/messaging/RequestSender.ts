import type { MessageContract, RequestEnvelope } from '@quanta/contracts';
import type { z } from 'zod';

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
