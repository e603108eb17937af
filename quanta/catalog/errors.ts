import { QuantaError, type QuantaErrorOptions } from '@quanta/runtime/errors';

/**
 * Base of catalog's errors. Each carries its HTTP status and code; the runtime's error middleware
 * is the only place that turns them into responses.
 */
export class CatalogError extends QuantaError {}

/**
 * 404 `PRODUCT_NOT_FOUND`: no product has this id.
 *
 * @example
 * ```ts
 * throw new ProductNotFoundError('p-42');
 * ```
 */
export class ProductNotFoundError extends CatalogError {
  constructor(productId: string, options: QuantaErrorOptions = {}) {
    super(`Product ${productId} not found`, { ...options, status: 404, code: 'PRODUCT_NOT_FOUND' });
  }
}

/**
 * 400 `INVALID_CURSOR`: the pagination cursor was not returned by a previous page (or was altered).
 *
 * @example
 * ```ts
 * throw new InvalidCursorError('abc', { cause });
 * ```
 */
export class InvalidCursorError extends CatalogError {
  constructor(cursor: string, options: QuantaErrorOptions = {}) {
    super(`Cursor ${JSON.stringify(cursor.slice(0, 64))} is not a cursor returned by a previous page`, {
      ...options,
      status: 400,
      code: 'INVALID_CURSOR',
    });
  }
}

/**
 * 409 `PRODUCT_UPDATE_CONFLICT`: the product kept changing under a concurrent update; the client may
 * retry (the update was not applied).
 *
 * @example
 * ```ts
 * throw new ProductUpdateConflictError('p-42', 3);
 * ```
 */
export class ProductUpdateConflictError extends CatalogError {
  constructor(productId: string, attempts: number, options: QuantaErrorOptions = {}) {
    super(`Product ${productId} was changed concurrently ${attempts} times; retry the update`, {
      ...options,
      status: 409,
      code: 'PRODUCT_UPDATE_CONFLICT',
    });
  }
}

/**
 * 503 `STOCK_CONTENDED`: a reservation or release kept losing races on the same stock. Not an
 * answer: the request message is retried (and, if it never gets through, dead-lettered), so a
 * contended request never ends in a wrong reply.
 *
 * @example
 * ```ts
 * throw new StockContentionError('order-1', 8);
 * ```
 */
export class StockContentionError extends CatalogError {
  constructor(orderId: string, attempts: number, options: QuantaErrorOptions = {}) {
    super(`Stock for order ${orderId} was still contended after ${attempts} attempts`, {
      ...options,
      status: 503,
      code: 'STOCK_CONTENDED',
    });
  }
}
