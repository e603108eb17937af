import { QuantaError, type QuantaErrorOptions } from '@quanta/runtime/errors';

/**
 * Base of payments' errors. Each carries its HTTP status and code; the runtime's error middleware
 * is the only place that turns them into responses. Messages name orders and payments, and a card
 * by its last 4 digits at most — never a whole card number.
 */
export class PaymentsError extends QuantaError {}

/**
 * 404 `PAYMENT_NOT_FOUND`: no payment was ever taken for the order (none requested yet, or voided
 * before anything was authorized).
 *
 * @example
 * ```ts
 * throw new PaymentNotFoundError('ord-1');
 * ```
 */
export class PaymentNotFoundError extends PaymentsError {
  constructor(orderId: string, options: QuantaErrorOptions = {}) {
    super(`No payment for order ${orderId}`, { ...options, status: 404, code: 'PAYMENT_NOT_FOUND' });
  }
}

/**
 * 409 `PAYMENT_IN_PROGRESS`: another invocation holds the order's intent right now (a concurrent
 * duplicate, or a refund racing an authorization). Thrown from a request handler it fails the
 * message, so SQS delivers it again later, when the intent has settled.
 *
 * @example
 * ```ts
 * throw new PaymentInProgressError('ord-1');
 * ```
 */
export class PaymentInProgressError extends PaymentsError {
  constructor(orderId: string, options: QuantaErrorOptions = {}) {
    super(`The payment for order ${orderId} is being processed by another invocation; retry later`, {
      ...options,
      status: 409,
      code: 'PAYMENT_IN_PROGRESS',
    });
  }
}

/**
 * 503 `PROCESSING_ERROR`: the card processor could not decide (retryable). Thrown from the request
 * handler so SQS redelivers the request; the attempt that reaches the limit declines instead.
 *
 * @example
 * ```ts
 * throw new PaymentProcessingError('ord-1', 'pay-1', 1, { cause });
 * ```
 */
export class PaymentProcessingError extends PaymentsError {
  /** Failed attempts so far, this one included. */
  readonly attempts: number;

  constructor(orderId: string, paymentId: string, attempts: number, options: QuantaErrorOptions = {}) {
    super(
      `Card processor failed to decide payment ${paymentId} for order ${orderId} (attempt ${attempts}); the request will be retried`,
      { ...options, status: 503, code: 'PROCESSING_ERROR' },
    );
    this.attempts = attempts;
  }
}
