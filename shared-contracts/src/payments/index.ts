export { PaymentAuthorized, PaymentDeclined } from './events';
export type { GetPaymentRequest, GetPaymentResponse } from './facade';
export { getPaymentRequestSchema, getPaymentResponseSchema } from './facade';
export type { Card, DeclineReason } from './requests';
export {
  AuthorizePayment,
  cardSchema,
  declineReasonSchema,
  PaymentAuthorizedReply,
  PaymentDeclinedReply,
  PaymentRefunded,
  RefundPayment,
} from './requests';
