import {
  ReleaseStock,
  ReserveStock,
  StockReleased,
  StockReserved,
  StockUnavailable,
} from '@quanta/contracts/catalog';
import { type MessageHandler, on, type ReplySender } from '@quanta/runtime/messaging';
import type { StockReservations } from '../service/StockReservations';

/**
 * catalog's request handlers (one per manifest request type): hand the request to the service and
 * send its answer to the requester's reply queue. The reply is sent after the decision is stored,
 * so if sending fails the message is retried and the stored decision is answered again.
 *
 * @example
 * ```ts
 * export const handler = messageBatchHandler({ handlers: requestHandlers(reservations, replies), observability });
 * ```
 */
export function requestHandlers(
  reservations: StockReservations,
  replies: ReplySender,
): [MessageHandler<typeof ReserveStock.payload>, MessageHandler<typeof ReleaseStock.payload>] {
  return [
    on(ReserveStock, async (request, { logger }) => {
      const { orderId, items } = request.payload;
      const outcome = await reservations.reserve({
        orderId,
        items,
        deadline: new Date(request.deadline),
        correlationId: request.correlationId,
        causationId: request.messageId,
      });
      switch (outcome.kind) {
        case 'RESERVED':
          if (outcome.duplicate) logger.info('Order already holds its stock; replying again', { orderId });
          return replies.reply(request, StockReserved, { orderId });
        case 'UNAVAILABLE':
          return replies.reply(request, StockUnavailable, {
            orderId,
            productIds: [...outcome.productIds],
            reason: outcome.reason,
          });
        case 'EXPIRED':
          logger.warn('ReserveStock past its deadline: not acted on, no reply', {
            orderId,
            deadline: request.deadline,
            messageId: request.messageId,
          });
          return;
        case 'RELEASED':
          logger.info('ReserveStock for an order already released: not reserved, no reply', {
            orderId,
            messageId: request.messageId,
          });
          return;
      }
    }),
    on(ReleaseStock, async (request) => {
      const { orderId } = request.payload;
      const { released } = await reservations.release({
        orderId,
        correlationId: request.correlationId,
        causationId: request.messageId,
      });
      await replies.reply(request, StockReleased, { orderId, released });
    }),
  ];
}
