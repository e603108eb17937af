import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';
import { defineEvent } from '../envelope/EventEnvelope';
import { declineReasonSchema } from './requests';

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
