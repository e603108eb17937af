import type { DeclineReason } from '@quanta/contracts/payments';

/**
 * Life of a payment intent (one per order):
 * - `PENDING`: claimed by one invocation (it holds the lease) which is asking the processor; or
 *   waiting for a retry after a processing error (lease released).
 * - `AUTHORIZED` -> `REFUNDED`: the money was held, then given back (a compensation).
 * - `DECLINED`: final; nothing was taken.
 * - `VOIDED`: a tombstone — a refund arrived before any authorization (or the authorization was
 *   abandoned), so a late `AuthorizePayment` for this order is declined and never charges.
 */
export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'DECLINED' | 'REFUNDED' | 'VOIDED';

/** The exclusive right of one invocation to ask the processor for a PENDING intent. */
export interface PaymentLease {
  /** Random id of the holder. */
  readonly owner: string;
  /** Epoch milliseconds; after it the holder is presumed dead and another delivery may take over. */
  readonly until: number;
}

/**
 * The state payments keeps per order. Card data is the last 4 digits only. A `VOIDED` tombstone
 * written before any authorization has no amount, currency or card.
 */
export interface PaymentIntent {
  readonly orderId: string;
  /** Generated when the intent is created; the processor's idempotency key. */
  readonly paymentId: string;
  readonly status: PaymentStatus;
  readonly amountCents?: number | undefined;
  readonly currency?: string | undefined;
  readonly last4?: string | undefined;
  /** Set when `DECLINED` (or `VOIDED`: always `VOIDED`). */
  readonly declineReason?: DeclineReason | undefined;
  /** The processor's authorization code, once `AUTHORIZED`. */
  readonly authorizationCode?: string | undefined;
  /** Processing attempts that failed with a (retryable) processing error so far. */
  readonly attempts: number;
  /** Present while an invocation holds (or held, until it expires) the intent `PENDING`. */
  readonly lease?: PaymentLease | undefined;
  /** Correlation id of the request that created it, for tracing. */
  readonly correlationId?: string | undefined;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601. */
  readonly updatedAt: string;
}
