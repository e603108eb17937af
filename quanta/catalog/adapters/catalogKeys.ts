/**
 * catalog's single-table keys. Every item has `sk` fixed per type, so the partition key alone
 * identifies it and a `GetItem` is always a strongly consistent point read.
 *
 * | item | pk | sk | gsi1pk / gsi1sk |
 * |---|---|---|---|
 * | product | `PRODUCT#<productId>` | `PRODUCT` | `PRODUCTS` / `<createdAt>#<productId>` (the list) |
 * | reservation | `RESERVATION#<orderId>` | `RESERVATION` | – |
 * | outbox event | `OUTBOX#<eventId>` | `OUTBOX` | – |
 */
export const catalogKeys = {
  product: (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }),
  reservation: (orderId: string) => ({ pk: `RESERVATION#${orderId}`, sk: 'RESERVATION' }),
  /** The list index's keys of a product: one partition, sorted by creation time then id. */
  productListing: (createdAt: string, productId: string) => ({
    gsi1pk: PRODUCT_LIST_PARTITION,
    gsi1sk: `${createdAt}#${productId}`,
  }),
} as const;

/** gsi1 partition holding every product, in creation order. */
export const PRODUCT_LIST_PARTITION = 'PRODUCTS';
/** The index the product list is read from (declared in the manifest's table). */
export const PRODUCT_LIST_INDEX = 'gsi1';
