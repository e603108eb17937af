import { StockReleased, StockReserved, StockUnavailable } from '@quanta/contracts/catalog';
import { PaymentAuthorizedReply, PaymentDeclinedReply, PaymentRefunded } from '@quanta/contracts/payments';
import { type MessageHandler, on } from '@quanta/runtime/messaging';
import type { SagaSignal } from '../domain/decideSaga';
import type { SagaCoordinator } from '../service/SagaCoordinator';

/**
 * orders' reply handlers (one per reply contract): turn each reply from catalog or payments into a
 * saga signal for its order. A handler that throws leaves the message to be redelivered, whose
 * redelivery re-sends whatever the committed transition asked for.
 *
 * @example
 * ```ts
 * export const handler = messageBatchHandler({ handlers: messages(saga), observability });
 * ```
 */
export function messages(saga: SagaCoordinator): MessageHandler[] {
  const signal = async (orderId: string, s: SagaSignal, messageId: string): Promise<void> => {
    await saga.apply(orderId, s, { messageId });
  };
  return [
    on(StockReserved, (m) => signal(m.payload.orderId, { type: 'StockReserved' }, m.messageId)),
    on(StockUnavailable, (m) => signal(m.payload.orderId, { type: 'StockUnavailable' }, m.messageId)),
    on(PaymentAuthorizedReply, (m) =>
      signal(m.payload.orderId, { type: 'PaymentAuthorized', paymentId: m.payload.paymentId }, m.messageId),
    ),
    on(PaymentDeclinedReply, (m) =>
      signal(m.payload.orderId, { type: 'PaymentDeclined', reason: m.payload.reason }, m.messageId),
    ),
    on(StockReleased, (m) => signal(m.payload.orderId, { type: 'StockReleased' }, m.messageId)),
    on(PaymentRefunded, (m) => signal(m.payload.orderId, { type: 'PaymentRefunded' }, m.messageId)),
  ] as MessageHandler[];
}
