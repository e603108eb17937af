import type { ProductNameRepository } from '../domain/ProductNameRepository';

/**
 * Keeps orders' own copy of product names current from catalog's `ProductRenamed`. Idempotent and
 * order-safe: only a higher `version` replaces the stored name, so duplicates and out-of-order
 * deliveries change nothing.
 *
 * @example
 * ```ts
 * await new ProductRenames(names).apply({ productId: 'p1', name: 'Blue mug', version: 3 });
 * ```
 */
export class ProductRenames {
  readonly #names: ProductNameRepository;

  constructor(names: ProductNameRepository) {
    this.#names = names;
  }

  /** Applies one rename; `STALE` when an equal or newer one was already applied. */
  async apply(rename: {
    readonly productId: string;
    readonly name: string;
    readonly version: number;
  }): Promise<'UPDATED' | 'STALE'> {
    return this.#names.rename(rename.productId, rename.name, rename.version);
  }
}
