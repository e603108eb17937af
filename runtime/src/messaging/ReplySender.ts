import type { AnyRequestEnvelope, MessageContract } from '@quanta/contracts';
import type { z } from 'zod';

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
