import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';
import { declineReasonSchema } from './requests';

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
  last4: z.string().regex(/^\d{4}$/),
  declineReason: declineReasonSchema.optional(),
});
export type GetPaymentResponse = z.infer<typeof getPaymentResponseSchema>;
