import type { CancellationReason, DeclineReason } from '@quanta/contracts';

const BY_DECLINE: Readonly<Record<DeclineReason, CancellationReason>> = {
  CARD_DECLINED: 'PAYMENT_DECLINED',
  INVALID_CARD: 'PAYMENT_DECLINED',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  PROCESSING_ERROR: 'PAYMENT_FAILED',
  // Only after a RefundPayment reached payments first, i.e. the order is already cancelled.
  VOIDED: 'PAYMENT_FAILED',
};

/**
 * The reason an order is cancelled with when payments declines its payment.
 *
 * @example
 * ```ts
 * cancellationReasonFor('INVALID_CARD'); // 'PAYMENT_DECLINED'
 * ```
 */
export function cancellationReasonFor(decline: DeclineReason): CancellationReason {
  return BY_DECLINE[decline];
}
