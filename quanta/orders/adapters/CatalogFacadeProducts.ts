import { getProductsResponseSchema } from '@quanta/contracts/catalog';
import type { FacadeClient } from '@quanta/runtime/facade';
import type { PricedProduct, ProductCatalog } from '../domain/ProductCatalog';

/**
 * {@link ProductCatalog} through catalog's facade operation `GetProducts` (SigV4-signed, with the
 * client's timeout and circuit breaker). Failures surface as the runtime's facade errors:
 * `FacadeUnavailableError` (503, never a hang) or `FacadeRequestError` (catalog refused: 502).
 *
 * @example
 * ```ts
 * const catalog = new CatalogFacadeProducts(new FacadeClient({ target: 'catalog', baseUrl, region }));
 * const { products, missing } = await catalog.price(['p1', 'p2'], { correlationId });
 * ```
 */
export class CatalogFacadeProducts implements ProductCatalog {
  readonly #client: Pick<FacadeClient, 'call'>;

  constructor(client: Pick<FacadeClient, 'call'>) {
    this.#client = client;
  }

  async price(
    productIds: readonly string[],
    origin: { readonly correlationId: string },
  ): Promise<{ readonly products: readonly PricedProduct[]; readonly missing: readonly string[] }> {
    return this.#client.call('GetProducts', { ids: [...productIds] }, getProductsResponseSchema, {
      correlationId: origin.correlationId,
    });
  }
}
