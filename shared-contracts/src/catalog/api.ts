import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema, pageOf } from '../common/primitives';

/** A product as the public API shows it. */
export const productSchema = z.object({
  productId: idSchema,
  name: z.string(),
  description: z.string(),
  priceCents: amountCentsSchema,
  currency: currencySchema,
  /** Units available now (stock not reserved by an order). */
  stock: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Product = z.infer<typeof productSchema>;

/** `GET /catalog/products` 200 body (cursor pagination: `?limit=&cursor=`). */
export const productPageSchema = pageOf(productSchema);
export type ProductPage = z.infer<typeof productPageSchema>;

const productName = z.string().trim().min(1).max(120);

/** `POST /catalog/products` body (admin). */
export const createProductRequestSchema = z.strictObject({
  name: productName,
  description: z.string().trim().max(2000).default(''),
  priceCents: amountCentsSchema.refine((v) => v > 0, 'must be greater than 0'),
  currency: currencySchema,
  stock: z.number().int().min(0).max(1_000_000),
});
export type CreateProductRequest = z.infer<typeof createProductRequestSchema>;

/** `PATCH /catalog/products/{id}` body (admin): rename and/or reprice. */
export const updateProductRequestSchema = z
  .strictObject({
    name: productName.optional(),
    priceCents: amountCentsSchema.refine((v) => v > 0, 'must be greater than 0').optional(),
  })
  .refine((v) => v.name !== undefined || v.priceCents !== undefined, 'must change name or priceCents');
export type UpdateProductRequest = z.infer<typeof updateProductRequestSchema>;

/** `POST /catalog/products/{id}/restock` body (admin). */
export const restockRequestSchema = z.strictObject({
  quantity: z.number().int().min(1).max(1_000_000),
});
export type RestockRequest = z.infer<typeof restockRequestSchema>;
