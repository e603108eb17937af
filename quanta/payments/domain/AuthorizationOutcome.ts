import type { DeclineReason } from '@quanta/contracts/payments';
import type { PaymentIntent } from './PaymentIntent';

/**
 * What an `AuthorizePayment` request ends in. `EXPIRED`: it arrived after its deadline with no
 * intent recorded, so payments did not act on it (no charge, no state, no reply).
 */
export type AuthorizationOutcome =
  | {
      readonly status: 'AUTHORIZED';
      readonly orderId: string;
      readonly paymentId: string;
      readonly last4: string;
    }
  | { readonly status: 'DECLINED'; readonly orderId: string; readonly reason: DeclineReason }
  | { readonly status: 'EXPIRED'; readonly orderId: string };

/**
 * The recorded outcome of a settled intent, which every later `AuthorizePayment` for the same order
 * is answered with: a refunded intent was authorized (the refund is a separate fact), a `VOIDED`
 * tombstone declines. Undefined while the intent is still `PENDING`.
 *
 * @example
 * ```ts
 * authorizationOutcomeOf(intent); // { status: 'AUTHORIZED', orderId, paymentId, last4: '4242' }
 * ```
 */
export function authorizationOutcomeOf(intent: PaymentIntent): AuthorizationOutcome | undefined {
  const { orderId } = intent;
  switch (intent.status) {
    case 'AUTHORIZED':
    case 'REFUNDED':
      return { status: 'AUTHORIZED', orderId, paymentId: intent.paymentId, last4: intent.last4 ?? '0000' };
    case 'DECLINED':
      return { status: 'DECLINED', orderId, reason: intent.declineReason ?? 'PROCESSING_ERROR' };
    case 'VOIDED':
      return { status: 'DECLINED', orderId, reason: 'VOIDED' };
    case 'PENDING':
      return undefined;
  }
}
