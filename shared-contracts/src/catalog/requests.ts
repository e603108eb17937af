import { z } from 'zod';
import { idSchema } from '../common/primitives';
import { defineMessage } from '../envelope/RequestEnvelope';

const orderLines = z
  .array(z.object({ productId: idSchema, quantity: z.number().int().min(1).max(1000) }))
  .min(1)
  .max(20);

/** Reserve all lines of an order, or none (idempotent per `orderId`). Replies: StockReserved | StockUnavailable. */
export const ReserveStock = defineMessage(
  'ReserveStock',
  1,
  z.object({ orderId: idSchema, items: orderLines }),
);
export const StockReserved = defineMessage('StockReserved', 1, z.object({ orderId: idSchema }));
export const StockUnavailable = defineMessage(
  'StockUnavailable',
  1,
  z.object({
    orderId: idSchema,
    productIds: z.array(idSchema),
    reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']),
  }),
);

/** Give back what `orderId` reserved, if anything (idempotent; a compensation). Reply: StockReleased. */
export const ReleaseStock = defineMessage('ReleaseStock', 1, z.object({ orderId: idSchema }));
export const StockReleased = defineMessage(
  'StockReleased',
  1,
  z.object({ orderId: idSchema, released: z.boolean() }),
);
