import type { Product } from './Product';

/** One page of the product list, in creation order. */
export interface ProductListPage {
  readonly items: readonly Product[];
  /** Opaque; pass it back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}
