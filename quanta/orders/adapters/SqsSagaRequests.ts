import { ReleaseStock, ReserveStock } from '@quanta/contracts/catalog';
import { AuthorizePayment, RefundPayment } from '@quanta/contracts/payments';
import type { RequestSender } from '@quanta/runtime/messaging';
import type { RequestMeta, SagaRequests } from '../domain/SagaRequests';

/** The quanta the saga sends requests to. */
const CATALOG = 'catalog';
const PAYMENTS = 'payments';

/**
 * {@link SagaRequests} over the request/reply channel: ReserveStock/ReleaseStock to catalog's
 * request queue, AuthorizePayment/RefundPayment to payments', each validated against its contract
 * before it leaves. Replies come back to orders' reply queue (the `replies` function).
 *
 * @example
 * ```ts
 * const requests = new SqsSagaRequests(new SqsRequestSender({ client, requester: 'orders', queueUrls }));
 * ```
 */
export class SqsSagaRequests implements SagaRequests {
  readonly #sender: RequestSender;

  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  async reserveStock(
    payload: {
      readonly orderId: string;
      readonly items: readonly { readonly productId: string; readonly quantity: number }[];
    },
    meta: RequestMeta,
  ): Promise<void> {
    await this.#sender.send(
      CATALOG,
      ReserveStock,
      { orderId: payload.orderId, items: payload.items.map((i) => ({ ...i })) },
      meta,
    );
  }

  async releaseStock(payload: { readonly orderId: string }, meta: RequestMeta): Promise<void> {
    await this.#sender.send(CATALOG, ReleaseStock, { orderId: payload.orderId }, meta);
  }

  async authorizePayment(
    payload: Parameters<SagaRequests['authorizePayment']>[0],
    meta: RequestMeta,
  ): Promise<void> {
    await this.#sender.send(PAYMENTS, AuthorizePayment, { ...payload }, meta);
  }

  async refundPayment(payload: { readonly orderId: string }, meta: RequestMeta): Promise<void> {
    await this.#sender.send(PAYMENTS, RefundPayment, { orderId: payload.orderId }, meta);
  }
}
