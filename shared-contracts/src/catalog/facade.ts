import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';

/** Facade operation `GetProducts` (synchronous, IAM-signed; caller: orders). */
export const getProductsRequestSchema = z.strictObject({
  ids: z.array(idSchema).min(1).max(100),
});
export type GetProductsRequest = z.infer<typeof getProductsRequestSchema>;

/** Known products only; ids that do not exist are listed in `missing`. */
export const getProductsResponseSchema = z.object({
  products: z.array(
    z.object({
      productId: idSchema,
      name: z.string(),
      priceCents: amountCentsSchema,
      currency: currencySchema,
      available: z.number().int().min(0),
    }),
  ),
  missing: z.array(idSchema),
});
export type GetProductsResponse = z.infer<typeof getProductsResponseSchema>;
