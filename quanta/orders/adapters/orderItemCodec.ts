import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { cancellationReasonSchema, orderStatusSchema } from '@quanta/contracts';
import { z } from 'zod';
import type { Order } from '../domain/Order';
import { OrderDataError } from '../errors';
import { ordersKeys } from './ordersKeys';

const compensationState = z.enum(['NONE', 'PENDING', 'DONE']);
const command = z.enum(['ReserveStock', 'AuthorizePayment', 'ReleaseStock', 'RefundPayment']);

const storedOrderSchema = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  status: orderStatusSchema,
  step: z.enum(['RESERVING', 'AUTHORIZING', 'COMPENSATING', 'DONE']),
  reason: cancellationReasonSchema.optional(),
  items: z.array(
    z.object({
      productId: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      unitPriceCents: z.number().int(),
    }),
  ),
  totalCents: z.number().int(),
  currency: z.string(),
  cardLast4: z.string(),
  paymentId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deadline: z.string(),
  correlationId: z.string(),
  idempotencyKey: z.string(),
  stockCompensation: compensationState,
  paymentCompensation: compensationState,
  compensationAttempts: z.number().int(),
  nextCompensationAt: z.string().optional(),
  lastMessageId: z.string().optional(),
  lastCommands: z.array(command),
  version: z.number().int(),
});

/**
 * The DynamoDB item of an order, with the index attributes its state calls for: `gsi1` always,
 * `gsi2` only while it waits for its deadline (PENDING) or for compensation replies. Writing the
 * whole item on every transition makes leaving PENDING remove it from the sweep's index.
 *
 * @example
 * ```ts
 * await client.send(new PutItemCommand({ TableName, Item: orderToItem(order) }));
 * ```
 */
export function orderToItem(order: Order): Record<string, AttributeValue> {
  const { compensations, ...rest } = order;
  const gsi2 =
    order.status === 'PENDING'
      ? { gsi2pk: ordersKeys.pending, gsi2sk: `${order.deadline}#${order.orderId}` }
      : order.step === 'COMPENSATING' && order.nextCompensationAt !== undefined
        ? { gsi2pk: ordersKeys.compensating, gsi2sk: `${order.nextCompensationAt}#${order.orderId}` }
        : {};
  return marshall(
    {
      ...ordersKeys.order(order.orderId),
      entity: 'Order',
      ...rest,
      items: order.items.map((l) => ({ ...l })),
      lastCommands: [...order.lastCommands],
      stockCompensation: compensations.stock,
      paymentCompensation: compensations.payment,
      gsi1pk: ordersKeys.userOrders(order.userId),
      gsi1sk: ordersKeys.userOrderSort(order.createdAt, order.orderId),
      ...gsi2,
    },
    { removeUndefinedValues: true },
  );
}

/**
 * The order stored in `item`, validated; an item of another shape is an `OrderDataError`.
 *
 * @example
 * ```ts
 * const order = orderFromItem(Item);
 * ```
 */
export function orderFromItem(item: Record<string, AttributeValue>): Order {
  const raw = unmarshall(item);
  const parsed = storedOrderSchema.safeParse(raw);
  if (!parsed.success) {
    throw new OrderDataError(`Item ${String(raw.pk)} is not a valid order: ${parsed.error.message}`);
  }
  const { stockCompensation, paymentCompensation, ...order } = parsed.data;
  return { ...order, compensations: { stock: stockCompensation, payment: paymentCompensation } };
}
