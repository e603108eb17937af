import { getProductsRequestSchema, getProductsResponseSchema } from '@quanta/contracts/catalog';
import type { FacadeHandler } from '@quanta/runtime/http/router';
import type { ProductCatalog } from '../service/ProductCatalog';

/**
 * catalog's facade operations (one per manifest operation), validated on both sides of the
 * contract: the request at the edge, the response before it leaves.
 *
 * @example
 * ```ts
 * const facade = createFacadeRouter(manifest.facade ?? [], facadeOperations(new ProductCatalog({ products })));
 * ```
 */
export function facadeOperations(catalog: ProductCatalog): Readonly<Record<string, FacadeHandler>> {
  return {
    GetProducts: async (req) =>
      getProductsResponseSchema.parse(await catalog.getProducts(req.parseBody(getProductsRequestSchema).ids)),
  };
}
