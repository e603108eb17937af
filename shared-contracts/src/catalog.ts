// catalog's contract: its public HTTP API, its GetProducts facade, the events it publishes and the
// requests it answers (stock reservation for the order saga).

import { amountCentsSchema, currencySchema, idSchema, pageOf } from './common';
import { defineEvent, defineMessage } from './envelope';
import { multiLineText, singleLineText } from './text';
import * as z from './zod';

/** A product as the public API shows it. */
export const productSchema = z.object({
  productId: idSchema,
  name: z.string(),
  description: z.string(),
  priceCents: amountCentsSchema,
  currency: currencySchema,
  /** Units available now (stock not reserved by an order). */
  stock: z.number().check(z.int(), z.minimum(0)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Product = z.infer<typeof productSchema>;

/** `GET /catalog/products` 200 body (cursor pagination: `?limit=&cursor=`). */
export const productPageSchema = pageOf(productSchema);
export type ProductPage = z.infer<typeof productPageSchema>;

/** A product's name: 1–120 characters on one line, trimmed (see `singleLineText`). */
const productName = singleLineText({ maxLength: 120 });
const positivePrice = amountCentsSchema.check(z.refine((v) => v > 0, 'must be greater than 0'));

/** `POST /catalog/products` body (admin). */
export const createProductRequestSchema = z.strictObject({
  name: productName,
  /** Up to 2,000 characters, line feeds and tabs allowed, trimmed (see `multiLineText`). */
  description: z._default(multiLineText({ maxLength: 2000, minLength: 0, trim: true }), ''),
  priceCents: positivePrice,
  currency: currencySchema,
  stock: z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000)),
});
export type CreateProductRequest = z.infer<typeof createProductRequestSchema>;

/** `PATCH /catalog/products/{id}` body (admin): rename and/or reprice. */
export const updateProductRequestSchema = z
  .strictObject({ name: z.optional(productName), priceCents: z.optional(positivePrice) })
  .check(
    z.refine((v) => v.name !== undefined || v.priceCents !== undefined, 'must change name or priceCents'),
  );
export type UpdateProductRequest = z.infer<typeof updateProductRequestSchema>;

/** `POST /catalog/products/{id}/restock` body (admin). */
export const restockRequestSchema = z.strictObject({
  quantity: z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)),
});
export type RestockRequest = z.infer<typeof restockRequestSchema>;

/** Facade operation `GetProducts` (synchronous, IAM-signed; caller: orders). */
export const getProductsRequestSchema = z.strictObject({
  ids: z.array(idSchema).check(z.minLength(1), z.maxLength(100)),
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
      available: z.number().check(z.int(), z.minimum(0)),
    }),
  ),
  missing: z.array(idSchema),
});
export type GetProductsResponse = z.infer<typeof getProductsResponseSchema>;

export const ProductCreated = defineEvent(
  'catalog',
  'ProductCreated',
  1,
  z.object({
    productId: idSchema,
    name: z.string(),
    priceCents: amountCentsSchema,
    currency: currencySchema,
    stock: z.number().check(z.int()),
  }),
);

/** A product got a new name; `version` orders renames (consumers keep the highest). */
export const ProductRenamed = defineEvent(
  'catalog',
  'ProductRenamed',
  1,
  z.object({
    productId: idSchema,
    name: z.string(),
    previousName: z.string(),
    version: z.number().check(z.int(), z.positive()),
  }),
);

export const PriceChanged = defineEvent(
  'catalog',
  'PriceChanged',
  1,
  z.object({
    productId: idSchema,
    priceCents: amountCentsSchema,
    previousPriceCents: amountCentsSchema,
    currency: currencySchema,
    version: z.number().check(z.int(), z.positive()),
  }),
);

/** Available stock reached zero. */
export const StockDepleted = defineEvent('catalog', 'StockDepleted', 1, z.object({ productId: idSchema }));

const orderLines = z
  .array(
    z.object({ productId: idSchema, quantity: z.number().check(z.int(), z.minimum(1), z.maximum(1000)) }),
  )
  .check(z.minLength(1), z.maxLength(20));

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
