import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';
import { declineReasonSchema } from './requests';

/** Facade operation `GetPayment` (synchronous, IAM-signed; caller: orders). 404 when unknown. */
export const getPaymentRequestSchema = z.strictObject({ orderId: idSchema });
export type GetPaymentRequest = z.infer<typeof getPaymentRequestSchema>;

export const getPaymentResponseSchema = z.object({
  orderId: idSchema,
  paymentId: idSchema,
  status: z.enum(['AUTHORIZED', 'DECLINED', 'REFUNDED']),
  amountCents: amountCentsSchema,
  currency: currencySchema,
  last4: z.string().regex(/^\d{4}$/),
  declineReason: declineReasonSchema.optional(),
});
export type GetPaymentResponse = z.infer<typeof getPaymentResponseSchema>;
