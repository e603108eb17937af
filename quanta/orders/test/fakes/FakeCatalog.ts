import { FacadeUnavailableError } from '@quanta/runtime/errors';
import type { PricedProduct, ProductCatalog } from '../../domain/ProductCatalog';

/** {@link ProductCatalog} from a map; `down` makes it fail like an unavailable facade. */
export class FakeCatalog implements ProductCatalog {
  readonly products = new Map<string, PricedProduct>();
  down = false;
  calls = 0;

  add(productId: string, priceCents: number, options: Partial<PricedProduct> = {}): this {
    this.products.set(productId, {
      productId,
      name: `Product ${productId}`,
      priceCents,
      currency: 'EUR',
      available: 10,
      ...options,
    });
    return this;
  }

  async price(productIds: readonly string[]) {
    this.calls++;
    if (this.down) throw new FacadeUnavailableError('catalog', 'timed out after 2000 ms');
    const products = productIds.flatMap((id) => {
      const p = this.products.get(id);
      return p === undefined ? [] : [p];
    });
    return { products, missing: productIds.filter((id) => !this.products.has(id)) };
  }
}
