import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';
import { defineMessage } from '../envelope/RequestEnvelope';

/** A card as a client sends it; only payments ever sees the whole number, and never stores or logs it. */
export const cardSchema = z.strictObject({
  number: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits')),
  expMonth: z.number().int().min(1).max(12).optional(),
  expYear: z.number().int().min(2000).max(2100).optional(),
  cvc: z
    .string()
    .regex(/^\d{3,4}$/, 'must be 3 or 4 digits')
    .optional(),
});
export type Card = z.infer<typeof cardSchema>;

/** Authorize `amountCents` on `card` for `orderId` (idempotent per orderId). Replies: PaymentAuthorized | PaymentDeclined. */
export const AuthorizePayment = defineMessage(
  'AuthorizePayment',
  1,
  z.object({ orderId: idSchema, amountCents: amountCentsSchema, currency: currencySchema, card: cardSchema }),
);

export const PaymentAuthorizedReply = defineMessage(
  'PaymentAuthorized',
  1,
  z.object({ orderId: idSchema, paymentId: idSchema, last4: z.string().regex(/^\d{4}$/) }),
);

/**
 * Why a payment was not authorized. PROCESSING_ERROR: the processor kept failing (after retries, or
 * until the request's deadline). VOIDED: the order's payment was refunded/voided before this
 * authorization arrived (a RefundPayment came first), so it is never charged.
 */
export const declineReasonSchema = z.enum([
  'CARD_DECLINED',
  'INSUFFICIENT_FUNDS',
  'INVALID_CARD',
  'PROCESSING_ERROR',
  'VOIDED',
]);
export type DeclineReason = z.infer<typeof declineReasonSchema>;

export const PaymentDeclinedReply = defineMessage(
  'PaymentDeclined',
  1,
  z.object({ orderId: idSchema, reason: declineReasonSchema }),
);

/** Refund what was authorized for `orderId`, if anything (idempotent; a compensation). Reply: PaymentRefunded. */
export const RefundPayment = defineMessage('RefundPayment', 1, z.object({ orderId: idSchema }));
export const PaymentRefunded = defineMessage(
  'PaymentRefunded',
  1,
  z.object({ orderId: idSchema, refunded: z.boolean() }),
);
