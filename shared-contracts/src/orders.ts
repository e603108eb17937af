// orders' contract: its public HTTP API and the events it publishes.

import { amountCentsSchema, currencySchema, idSchema, pageOf } from './common';
import { defineEvent } from './envelope';
import { cardSchema } from './payments';
import * as z from './zod';

/** `Idempotency-Key` header of `POST /orders` (required). */
export const idempotencyKeySchema = z
  .string()
  .check(
    z.minLength(8),
    z.maxLength(128),
    z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  );

/** `POST /orders` body. */
export const placeOrderRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: idSchema,
        quantity: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
      }),
    )
    .check(
      z.minLength(1),
      z.maxLength(20),
      z.refine(
        (items) => new Set(items.map((i) => i.productId)).size === items.length,
        'must not repeat a productId',
      ),
    ),
  card: cardSchema,
});
export type PlaceOrderRequest = z.infer<typeof placeOrderRequestSchema>;

/** Order states: PENDING until the saga ends in CONFIRMED or CANCELLED. */
export const orderStatusSchema = z.enum(['PENDING', 'CONFIRMED', 'CANCELLED']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** Why an order was cancelled. */
export const cancellationReasonSchema = z.enum([
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PAYMENT_FAILED',
  'TIMEOUT',
  'CANCELLED_BY_CUSTOMER',
]);
export type CancellationReason = z.infer<typeof cancellationReasonSchema>;

/** `POST /orders` 202 body (also `POST /orders/{id}/cancel`). */
export const orderAcceptedSchema = z.object({ orderId: idSchema, status: orderStatusSchema });
export type OrderAccepted = z.infer<typeof orderAcceptedSchema>;

/** An order as its owner sees it (`GET /orders/{id}`, `GET /orders`). */
export const orderSchema = z.object({
  orderId: idSchema,
  status: orderStatusSchema,
  reason: z.optional(cancellationReasonSchema),
  items: z.array(
    z.object({
      productId: idSchema,
      /** The product's current name (orders keep their own copy, updated by ProductRenamed). */
      name: z.string(),
      quantity: z.number().check(z.int(), z.positive()),
      unitPriceCents: amountCentsSchema,
    }),
  ),
  totalCents: amountCentsSchema,
  currency: currencySchema,
  cardLast4: z.string().check(z.regex(/^\d{4}$/)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The saga must end before this instant, or the sweep cancels the order with TIMEOUT. */
  deadline: z.iso.datetime(),
});
export type Order = z.infer<typeof orderSchema>;

/** `GET /orders` 200 body (newest first; `?limit=&cursor=`). */
export const orderPageSchema = pageOf(orderSchema);
export type OrderPage = z.infer<typeof orderPageSchema>;

const lines = z.array(
  z.object({
    productId: idSchema,
    quantity: z.number().check(z.int(), z.positive()),
    unitPriceCents: amountCentsSchema,
  }),
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
