/** Port: orders' own copy of product names, kept current by catalog's `ProductRenamed`. */
export interface ProductNameRepository {
  /**
   * Stores `name` for `productId` if `version` is higher than the stored one (or none is stored);
   * `STALE` when an equal or newer rename is already there (duplicates and out-of-order events).
   */
  rename(productId: string, name: string, version: number): Promise<'UPDATED' | 'STALE'>;
  /** The known names of `productIds` (products never renamed may be absent). */
  namesOf(productIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
