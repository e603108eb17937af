import type { Card } from '@quanta/contracts/payments';

/** Correlation and deadline of a saga request. */
export interface RequestMeta {
  readonly correlationId: string;
  /** After this instant the target must not act on the request. */
  readonly deadline: Date;
}

/** Port: the requests the saga sends to catalog and payments (asynchronous; replies come back separately). */
export interface SagaRequests {
  reserveStock(
    payload: {
      readonly orderId: string;
      readonly items: readonly { readonly productId: string; readonly quantity: number }[];
    },
    meta: RequestMeta,
  ): Promise<void>;
  releaseStock(payload: { readonly orderId: string }, meta: RequestMeta): Promise<void>;
  authorizePayment(
    payload: {
      readonly orderId: string;
      readonly amountCents: number;
      readonly currency: string;
      readonly card: Card;
    },
    meta: RequestMeta,
  ): Promise<void>;
  refundPayment(payload: { readonly orderId: string }, meta: RequestMeta): Promise<void>;
}
