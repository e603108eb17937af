// payments' contract: the requests it answers (authorize, refund), its GetPayment facade and the
// events it publishes.

import { amountCentsSchema, currencySchema, idSchema } from './common';
import { defineEvent, defineMessage } from './envelope';
import * as z from './zod';

/** A card as a client sends it; only payments ever sees the whole number, and never stores or logs it. */
export const cardSchema = z.strictObject({
  number: z.pipe(
    z.pipe(
      z.string(),
      z.transform((v: string) => v.replace(/[\s-]/g, '')),
    ),
    z.string().check(z.regex(/^\d{12,19}$/, 'must be 12 to 19 digits')),
  ),
  expMonth: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(12))),
  expYear: z.optional(z.number().check(z.int(), z.minimum(2000), z.maximum(2100))),
  cvc: z.optional(z.string().check(z.regex(/^\d{3,4}$/, 'must be 3 or 4 digits'))),
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
  z.object({ orderId: idSchema, paymentId: idSchema, last4: z.string().check(z.regex(/^\d{4}$/)) }),
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

/** Facade operation `GetPayment` (synchronous, IAM-signed; caller: orders). 404 when unknown. */
export const getPaymentRequestSchema = z.strictObject({ orderId: idSchema });
export type GetPaymentRequest = z.infer<typeof getPaymentRequestSchema>;

/**
 * A payment as payments records it. PENDING: an authorization is in progress (or waiting for a
 * retry after a processing error). An order with no payment, or whose payment was voided before
 * anything was authorized, is a 404 `PAYMENT_NOT_FOUND`.
 */
export const getPaymentResponseSchema = z.object({
  orderId: idSchema,
  paymentId: idSchema,
  status: z.enum(['PENDING', 'AUTHORIZED', 'DECLINED', 'REFUNDED']),
  amountCents: amountCentsSchema,
  currency: currencySchema,
  last4: z.string().check(z.regex(/^\d{4}$/)),
  declineReason: z.optional(declineReasonSchema),
});
export type GetPaymentResponse = z.infer<typeof getPaymentResponseSchema>;

export const PaymentAuthorized = defineEvent(
  'payments',
  'PaymentAuthorized',
  1,
  z.object({
    orderId: idSchema,
    paymentId: idSchema,
    amountCents: amountCentsSchema,
    currency: currencySchema,
    last4: z.string(),
  }),
);

export const PaymentDeclined = defineEvent(
  'payments',
  'PaymentDeclined',
  1,
  z.object({
    orderId: idSchema,
    reason: declineReasonSchema,
    amountCents: amountCentsSchema,
    currency: currencySchema,
  }),
);
