import { QuantaError, type QuantaErrorOptions } from '@quanta/runtime/errors';

/**
 * Base of orders' errors. Each carries its HTTP status and code; the runtime's error middleware is
 * the only place that turns them into responses. No message ever contains a card number: bodies
 * and card data stay out of errors because errors are logged.
 */
export class OrdersError extends QuantaError {}

/**
 * 400 `IDEMPOTENCY_KEY_REQUIRED`: `POST /orders` without an `Idempotency-Key` header.
 *
 * @example
 * ```ts
 * throw new IdempotencyKeyRequiredError();
 * ```
 */
export class IdempotencyKeyRequiredError extends OrdersError {
  constructor(options: QuantaErrorOptions = {}) {
    super(
      'Header Idempotency-Key is required: send a unique value (8 to 128 printable characters) per order',
      {
        ...options,
        status: 400,
        code: 'IDEMPOTENCY_KEY_REQUIRED',
      },
    );
  }
}

/**
 * 422 `IDEMPOTENCY_KEY_REUSED`: the key was already used by this caller for a different order body.
 *
 * @example
 * ```ts
 * throw new IdempotencyKeyReusedError('key-0001', 'f3b1…');
 * ```
 */
export class IdempotencyKeyReusedError extends OrdersError {
  constructor(key: string, orderId: string, options: QuantaErrorOptions = {}) {
    super(
      `Idempotency-Key ${JSON.stringify(key)} was already used for order ${orderId} with a different body; ` +
        'use a new key for a new order',
      { ...options, status: 422, code: 'IDEMPOTENCY_KEY_REUSED', details: { orderId } },
    );
  }
}

/**
 * 422 `UNKNOWN_PRODUCT`: the order names products the catalog does not know; `details.productIds` lists them.
 *
 * @example
 * ```ts
 * throw new UnknownProductError(['p-404']);
 * ```
 */
export class UnknownProductError extends OrdersError {
  constructor(productIds: readonly string[], options: QuantaErrorOptions = {}) {
    super(`Unknown product(s): ${productIds.join(', ')}`, {
      ...options,
      status: 422,
      code: 'UNKNOWN_PRODUCT',
      details: { productIds: [...productIds] },
    });
  }
}

/**
 * 422 `MIXED_CURRENCIES`: the products of one order are priced in different currencies.
 *
 * @example
 * ```ts
 * throw new MixedCurrenciesError(['EUR', 'USD']);
 * ```
 */
export class MixedCurrenciesError extends OrdersError {
  constructor(currencies: readonly string[], options: QuantaErrorOptions = {}) {
    super(`One order must be in one currency; these products are priced in ${currencies.join(', ')}`, {
      ...options,
      status: 422,
      code: 'MIXED_CURRENCIES',
      details: { currencies: [...currencies] },
    });
  }
}

/**
 * 422 `ORDER_TOTAL_TOO_LARGE`: at today's prices the order would cost more than one order (and one
 * payment) may; `details` gives the total and the maximum, in minor units.
 *
 * @example
 * ```ts
 * throw new OrderTotalTooLargeError(100_000_100, 100_000_000, 'EUR');
 * ```
 */
export class OrderTotalTooLargeError extends OrdersError {
  constructor(totalCents: number, maxTotalCents: number, currency: string, options: QuantaErrorOptions = {}) {
    super(
      `The order's total is ${totalCents} ${currency} cents; one order may total at most ${maxTotalCents}. ` +
        'Order fewer units, or split the order',
      {
        ...options,
        status: 422,
        code: 'ORDER_TOTAL_TOO_LARGE',
        details: { totalCents, maxTotalCents, currency },
      },
    );
  }
}

/**
 * 404 `ORDER_NOT_FOUND`: unknown order, or an order of another user (deliberately indistinguishable).
 *
 * @example
 * ```ts
 * throw new OrderNotFoundError('9b2…');
 * ```
 */
export class OrderNotFoundError extends OrdersError {
  constructor(orderId: string, options: QuantaErrorOptions = {}) {
    super(`Order ${orderId} not found`, { ...options, status: 404, code: 'ORDER_NOT_FOUND' });
  }
}

/**
 * 409 `ORDER_NOT_PENDING`: the order already reached CONFIRMED or CANCELLED.
 *
 * @example
 * ```ts
 * throw new OrderNotPendingError('9b2…', 'CONFIRMED');
 * ```
 */
export class OrderNotPendingError extends OrdersError {
  constructor(orderId: string, status: string, options: QuantaErrorOptions = {}) {
    super(`Order ${orderId} is ${status}; only a PENDING order can be cancelled`, {
      ...options,
      status: 409,
      code: 'ORDER_NOT_PENDING',
      details: { status },
    });
  }
}

/**
 * 400 `INVALID_CURSOR`: a pagination cursor that this API did not hand to this caller.
 *
 * @example
 * ```ts
 * throw new InvalidCursorError();
 * ```
 */
export class InvalidCursorError extends OrdersError {
  constructor(options: QuantaErrorOptions = {}) {
    super('Cursor is not one returned by a previous page of this list', {
      ...options,
      status: 400,
      code: 'INVALID_CURSOR',
    });
  }
}

/**
 * 503 `DEPENDENCY_UNAVAILABLE`: a saga request could not be sent after its transition was committed.
 * From `POST /orders`: the order is stored, and retrying with the same Idempotency-Key re-sends
 * ReserveStock. From a reply: the reply is redelivered, and its redelivery re-sends.
 *
 * @example
 * ```ts
 * throw new SagaRequestNotSentError('ReserveStock', orderId, { cause });
 * ```
 */
export class SagaRequestNotSentError extends OrdersError {
  constructor(request: string, orderId: string, options: QuantaErrorOptions = {}) {
    super(`${request} for order ${orderId} could not be sent`, {
      ...options,
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  }
}

/**
 * 503 `ORDER_CONTENDED`: the order kept changing under a saga step (retry the message/request).
 *
 * @example
 * ```ts
 * throw new OrderContendedError(orderId, 5);
 * ```
 */
export class OrderContendedError extends OrdersError {
  constructor(orderId: string, attempts: number, options: QuantaErrorOptions = {}) {
    super(`Order ${orderId} changed concurrently ${attempts} times in a row`, {
      ...options,
      status: 503,
      code: 'ORDER_CONTENDED',
    });
  }
}

/**
 * 500 `CARD_VAULT_FAILED`: the card could not be sealed or opened (key misconfigured, KMS failure,
 * tampered ciphertext). The message never contains card data.
 *
 * @example
 * ```ts
 * throw new CardVaultError('Sealed card of order 9b2… does not authenticate', { cause });
 * ```
 */
export class CardVaultError extends OrdersError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { ...options, status: 500, code: 'CARD_VAULT_FAILED' });
  }
}

/**
 * 500 `ORDER_DATA_INVALID`: a stored item does not have the shape orders writes (corruption or drift).
 *
 * @example
 * ```ts
 * throw new OrderDataError('ORDER#9b2… has no status');
 * ```
 */
export class OrderDataError extends OrdersError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { ...options, status: 500, code: 'ORDER_DATA_INVALID' });
  }
}
