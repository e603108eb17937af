import type { RequestEnvelope } from '@quanta/contracts/envelope';
import {
  AuthorizePayment,
  PaymentAuthorizedReply,
  PaymentDeclinedReply,
  PaymentRefunded,
  RefundPayment,
} from '@quanta/contracts/payments';
import { type MessageHandler, on, type ReplySender } from '@quanta/runtime/messaging';
import type { Observability } from '@quanta/runtime/observability';
import { PaymentCard } from '../domain/PaymentCard';
import type { PaymentService } from '../service/PaymentService';

/** What {@link messages} needs. */
export interface MessagesOptions {
  readonly service: PaymentService;
  readonly replies: ReplySender;
  /** Counts outcomes (`PaymentsAuthorized`, `PaymentsDeclined`, …). @default none */
  readonly metrics?: Observability['metrics'];
}

/**
 * payments' request handlers (one per manifest request type): turn the envelope into a command,
 * call the service (which commits state and event first), then reply. A redelivery replies the
 * recorded outcome again. The card is wrapped in a {@link PaymentCard} before anything else, and
 * the envelope handed on to the reply sender carries no card: nothing downstream can log it.
 *
 * @example
 * ```ts
 * export const handler = messageBatchHandler({ handlers: messages({ service, replies }), observability });
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: handlers of different payload types share one list.
export function messages(options: MessagesOptions): ReadonlyArray<MessageHandler<any>> {
  const { service, replies, metrics } = options;
  const count = (name: string) => metrics?.addMetric(name, 'Count', 1);
  return [
    on(AuthorizePayment, async (request, context) => {
      const { orderId, amountCents, currency } = request.payload;
      const card = PaymentCard.of(request.payload.card);
      const replyTo = withoutPayload(request);
      const { outcome, replayed } = await service.authorize(
        { orderId, amountCents, currency, card },
        {
          messageId: request.messageId,
          correlationId: request.correlationId,
          deadline: new Date(request.deadline),
          receiveCount: context.receiveCount,
        },
      );
      const facts = { orderId, messageId: request.messageId, last4: card.last4, replayed };
      switch (outcome.status) {
        case 'AUTHORIZED':
          await replies.reply(replyTo, PaymentAuthorizedReply, {
            orderId,
            paymentId: outcome.paymentId,
            last4: outcome.last4,
          });
          context.logger.info('Payment authorized', { ...facts, paymentId: outcome.paymentId });
          if (!replayed) count('PaymentsAuthorized');
          break;
        case 'DECLINED':
          await replies.reply(replyTo, PaymentDeclinedReply, { orderId, reason: outcome.reason });
          context.logger.info('Payment declined', { ...facts, reason: outcome.reason });
          if (!replayed) count('PaymentsDeclined');
          break;
        case 'EXPIRED':
          // Not acted on: the requester has given up at its deadline (and refunds/voids on its own).
          context.logger.warn('AuthorizePayment arrived after its deadline: not charged, no reply', {
            ...facts,
            deadline: request.deadline,
          });
          count('AuthorizationsExpired');
          break;
      }
    }),
    on(RefundPayment, async (request) => {
      const result = await service.refund(request.payload.orderId, { correlationId: request.correlationId });
      await replies.reply(withoutPayload(request), PaymentRefunded, result);
      if (result.refunded) count('PaymentsRefunded');
    }),
  ];
}

/** The envelope's routing fields only (reply queue, correlation id, deadline): never the card. */
function withoutPayload(request: RequestEnvelope<unknown>): RequestEnvelope<undefined> {
  return { ...request, payload: undefined };
}
