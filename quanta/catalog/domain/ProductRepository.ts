import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { Product } from './Product';

/** One page of the product list, in creation order. */
export interface ProductListPage {
  readonly items: readonly Product[];
  /** Opaque; pass it back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

/** What an administrator may change on a product in one update. */
export interface ProductChanges {
  readonly name: string;
  readonly priceCents: number;
  /** The product's new version (the expected one + 1). */
  readonly version: number;
  /** ISO-8601. */
  readonly updatedAt: string;
}

/** Port: where products live. */
export interface ProductRepository {
  /** Stores a new product and writes `event` to the outbox, atomically. */
  create(product: Product, event: AnyEventEnvelope): Promise<void>;
  /** The product (a strongly consistent read), if it exists. */
  get(productId: string): Promise<Product | undefined>;
  /** The products among `productIds` that exist, in no particular order. */
  getMany(productIds: readonly string[]): Promise<Product[]>;
  /**
   * Products in creation order (ties by id), `limit` at a time, from `cursor` (a previous page's
   * `nextCursor`). Rejects with `InvalidCursorError` for a cursor it did not produce.
   */
  list(page: { readonly limit: number; readonly cursor?: string }): Promise<ProductListPage>;
  /**
   * Applies `changes` if the product is still at `expectedVersion` and writes `events` to the outbox,
   * atomically. `STALE` when the product changed meanwhile or does not exist (nothing was written).
   */
  update(
    productId: string,
    expectedVersion: number,
    changes: ProductChanges,
    events: readonly AnyEventEnvelope[],
  ): Promise<'UPDATED' | 'STALE'>;
  /** Adds `quantity` units to the stock; the updated product, or `undefined` if it does not exist. */
  restock(productId: string, quantity: number, updatedAt: string): Promise<Product | undefined>;
}
