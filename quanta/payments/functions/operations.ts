import { getPaymentRequestSchema, getPaymentResponseSchema } from '@quanta/contracts/payments';
import type { FacadeHandler } from '@quanta/runtime/http/router';
import type { PaymentLookup } from '../service/PaymentLookup';

/**
 * payments' facade operations (one per manifest operation), validated on both sides of the
 * contract: the request at the edge, the response before it leaves.
 *
 * @example
 * ```ts
 * const facade = createFacadeRouter(payments.facade ?? [], operations(lookup));
 * ```
 */
export function operations(lookup: PaymentLookup): Readonly<Record<string, FacadeHandler>> {
  return {
    GetPayment: async (req) =>
      getPaymentResponseSchema.parse(await lookup.get(req.parseBody(getPaymentRequestSchema).orderId)),
  };
}
