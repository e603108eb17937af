/** A product as priced by the catalog at placement time. */
export interface PricedProduct {
  readonly productId: string;
  readonly name: string;
  readonly priceCents: number;
  readonly currency: string;
  /** Stock the catalog showed; informative only (the saga's ReserveStock decides). */
  readonly available: number;
}

/**
 * Port: catalog's prices, read synchronously when an order is placed. Implementations fail fast
 * (timeout, circuit breaker) with a 503 error when the catalog is unavailable.
 */
export interface ProductCatalog {
  /** The known products among `productIds`, and the ids the catalog does not know. */
  price(
    productIds: readonly string[],
    origin: { readonly correlationId: string },
  ): Promise<{ readonly products: readonly PricedProduct[]; readonly missing: readonly string[] }>;
}

/**
 * Port: orders' own copy of product names, kept current by catalog's `ProductRenamed`, so an order
 * shows a renamed product's new name without asking the catalog on every read.
 */
export interface ProductNameRepository {
  /**
   * Stores `name` for `productId` if `version` is higher than the stored one (or none is stored);
   * `STALE` when an equal or newer rename is already there (duplicates and out-of-order events),
   * so applying catalog's renames in any order, any number of times, ends with the newest name.
   */
  rename(productId: string, name: string, version: number): Promise<'UPDATED' | 'STALE'>;
  /** The known names of `productIds` (products never renamed may be absent). */
  namesOf(productIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
