import type { DeclineReason } from '@quanta/contracts/payments';
import type { PaymentCard } from './PaymentCard';

/** What payments asks a processor to authorize. */
export interface AuthorizationRequest {
  /** Idempotency key at the processor: asking twice with one id never holds the money twice. */
  readonly paymentId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly card: PaymentCard;
}

/**
 * The processor's answer. `PROCESSING_ERROR`: the processor could not decide (outage, timeout);
 * nothing was held, and asking again later may succeed.
 */
export type ProcessorResult =
  | { readonly outcome: 'AUTHORIZED'; readonly authorizationCode: string }
  | { readonly outcome: 'DECLINED'; readonly reason: Exclude<DeclineReason, 'PROCESSING_ERROR' | 'VOIDED'> }
  | { readonly outcome: 'PROCESSING_ERROR'; readonly detail: string };

/** What payments asks a processor to give back. */
export interface RefundRequest {
  /** The id the authorization was made under. */
  readonly paymentId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/**
 * Port: the card processor (a payment service provider). Both operations are idempotent per
 * `paymentId`, as real processors are with an idempotency key, which is what lets payments retry
 * after a crash without ever charging twice. A thrown error counts as a `PROCESSING_ERROR`.
 */
export interface CardProcessor {
  authorize(request: AuthorizationRequest): Promise<ProcessorResult>;
  /** Releases or refunds whatever is held under `paymentId`; a no-op when nothing is. */
  refund(request: RefundRequest): Promise<void>;
}
