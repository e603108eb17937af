import {
  createProductRequestSchema,
  restockRequestSchema,
  updateProductRequestSchema,
} from '@quanta/contracts/catalog';
import { idSchema, pageQuerySchema } from '@quanta/contracts/common';
import { jsonResponse } from '@quanta/runtime/http';
import { type HttpRequest, parseInput, type RouteHandlers } from '@quanta/runtime/http/router';
import type { ProductCatalog } from '../service/ProductCatalog';

/**
 * catalog's routes (one per manifest route): parse the input with the contract's schema, call the
 * service, shape the response. Access (public reads, `admin` writes) is enforced by the router from
 * the manifest before any of these runs.
 *
 * @example
 * ```ts
 * const router = createRouter(manifest.routes ?? [], routes(new ProductCatalog({ products })));
 * ```
 */
export function routes(catalog: ProductCatalog): RouteHandlers {
  return {
    'GET /catalog/products': async (req) =>
      jsonResponse(200, await catalog.list(req.parseQuery(pageQuerySchema))),
    'GET /catalog/products/{id}': async (req) => jsonResponse(200, await catalog.get(productIdOf(req))),
    'POST /catalog/products': async (req) => {
      const product = await catalog.create(req.parseBody(createProductRequestSchema), req);
      return jsonResponse(201, product, { location: `/catalog/products/${product.productId}` });
    },
    'PATCH /catalog/products/{id}': async (req) => {
      const productId = productIdOf(req);
      return jsonResponse(
        200,
        await catalog.update(productId, req.parseBody(updateProductRequestSchema), req),
      );
    },
    'POST /catalog/products/{id}/restock': async (req) => {
      const productId = productIdOf(req);
      return jsonResponse(
        200,
        await catalog.restock(productId, req.parseBody(restockRequestSchema).quantity),
      );
    },
  };
}

/** The `{id}` path parameter, or a 400 when it cannot be a product id at all. */
function productIdOf(req: HttpRequest): string {
  return parseInput(idSchema, req.pathParameters.id, 'product id');
}
