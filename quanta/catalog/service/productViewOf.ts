import type { Product as ProductView } from '@quanta/contracts';
import type { Product } from '../domain/Product';

/**
 * The public API's view of a product (the internal `version` stays inside catalog).
 *
 * @example
 * ```ts
 * jsonResponse(200, productViewOf(product));
 * ```
 */
export function productViewOf(product: Product): ProductView {
  return {
    productId: product.productId,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    currency: product.currency,
    stock: product.stock,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}
