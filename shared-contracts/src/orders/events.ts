import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';
import { defineEvent } from '../envelope/EventEnvelope';
import { cancellationReasonSchema } from './api';

const lines = z.array(
  z.object({ productId: idSchema, quantity: z.number().int().positive(), unitPriceCents: amountCentsSchema }),
);

export const OrderPlaced = defineEvent(
  'orders',
  'OrderPlaced',
  1,
  z.object({
    orderId: idSchema,
    userId: z.string(),
    items: lines,
    totalCents: amountCentsSchema,
    currency: currencySchema,
  }),
);

export const OrderConfirmed = defineEvent(
  'orders',
  'OrderConfirmed',
  1,
  z.object({
    orderId: idSchema,
    userId: z.string(),
    totalCents: amountCentsSchema,
    currency: currencySchema,
    paymentId: idSchema,
  }),
);

export const OrderCancelled = defineEvent(
  'orders',
  'OrderCancelled',
  1,
  z.object({ orderId: idSchema, userId: z.string(), reason: cancellationReasonSchema }),
);
