import * as z from '@quanta/contracts/zod';
import type { Product } from '../domain/Product';
import { catalogKeys } from './catalogKeys';

/** A product item as stored (what catalog wrote; parsed anyway, so a corrupt item fails loudly). */
const productItemSchema = z.object({
  productId: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().check(z.int()),
  currency: z.string(),
  stock: z.number().check(z.int()),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * The table item of a product: its keys, its list-index keys and its fields.
 *
 * @example
 * ```ts
 * new PutItemCommand({ TableName, Item: marshall(productItemOf(product)) });
 * ```
 */
export function productItemOf(product: Product): Record<string, unknown> {
  return {
    ...catalogKeys.product(product.productId),
    ...catalogKeys.productListing(product.createdAt, product.productId),
    type: 'PRODUCT',
    ...product,
  };
}

/**
 * The product in an unmarshalled table item.
 *
 * @example
 * ```ts
 * const product = productOfItem(unmarshall(Item));
 * ```
 */
export function productOfItem(item: Record<string, unknown>): Product {
  const p = productItemSchema.parse(item);
  return {
    productId: p.productId,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    stock: p.stock,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
