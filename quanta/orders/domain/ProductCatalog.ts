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
