import type { GetPaymentResponse } from '@quanta/contracts/payments';
import type { PaymentRepository } from '../domain/PaymentRepository';
import { PaymentNotFoundError } from '../errors';

/**
 * Read-only use case behind the facade's `GetPayment`; separate from `PaymentService` so the facade
 * function needs no processor.
 *
 * @example
 * ```ts
 * const payment = await new PaymentLookup(payments).get('ord-1'); // { status: 'AUTHORIZED', last4: '4242', … }
 * ```
 */
export class PaymentLookup {
  readonly #payments: PaymentRepository;

  constructor(payments: PaymentRepository) {
    this.#payments = payments;
  }

  /**
   * The order's payment, or a 404 `PAYMENT_NOT_FOUND` when none was ever taken: no intent, or a
   * `VOIDED` tombstone (the refund came before any authorization).
   */
  async get(orderId: string): Promise<GetPaymentResponse> {
    const intent = await this.#payments.find(orderId);
    if (
      intent === undefined ||
      intent.status === 'VOIDED' ||
      intent.amountCents === undefined ||
      intent.currency === undefined ||
      intent.last4 === undefined
    ) {
      throw new PaymentNotFoundError(orderId);
    }
    return {
      orderId: intent.orderId,
      paymentId: intent.paymentId,
      status: intent.status,
      amountCents: intent.amountCents,
      currency: intent.currency,
      last4: intent.last4,
      ...(intent.declineReason === undefined ? {} : { declineReason: intent.declineReason }),
    };
  }
}
