import { OrderCancelled, OrderConfirmed } from '@quanta/contracts/orders';
import * as z from '@quanta/contracts/zod';
import { functionContext } from '@quanta/runtime/config';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import type { OrderUpdate } from '../service/ChatSocket';
import { chatOf, liveEnvironment } from './environment';

// Composition root of chat's `orderEvents` function (inbox of orders' OrderConfirmed / OrderCancelled).
const context = functionContext(liveEnvironment, process.env);
const { socket } = chatOf(context);

/** Either event, validated against its contract, as the update it announces. */
const orderUpdateSchema = z.union([
  z.pipe(
    OrderConfirmed.envelope,
    z.transform(
      ({ data }: z.infer<typeof OrderConfirmed.envelope>): OrderUpdate => ({
        orderId: data.orderId,
        userId: data.userId,
        status: 'CONFIRMED',
      }),
    ),
  ),
  z.pipe(
    OrderCancelled.envelope,
    z.transform(
      ({ data }: z.infer<typeof OrderCancelled.envelope>): OrderUpdate => ({
        orderId: data.orderId,
        userId: data.userId,
        status: 'CANCELLED',
        reason: data.reason,
      }),
    ),
  ),
]);

/**
 * `orderEvents`: pushes an `order` frame to every open connection of the order's owner. No
 * idempotency record: a redelivered event pushes the same state again, which a client shows the same.
 * A push that fails is logged, not retried (the client reads the order over HTTP when it reconnects).
 */
export const handler = sqsBatchHandler({
  parse: orderUpdateSchema,
  handle: async (update, { logger }) => {
    const report = await socket.orderChanged(update);
    logger.info('Order update pushed', { orderId: update.orderId, status: update.status, ...report });
  },
  observability: context.observability,
});
