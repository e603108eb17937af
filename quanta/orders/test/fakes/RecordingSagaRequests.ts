import type { RequestMeta, SagaRequests } from '../../domain/SagaRequests';

/** One request the saga sent. */
export interface SentRequest {
  readonly type: 'ReserveStock' | 'ReleaseStock' | 'AuthorizePayment' | 'RefundPayment';
  readonly payload: Record<string, unknown>;
  readonly meta: RequestMeta;
}

/** {@link SagaRequests} that records what is sent; `failNext` makes the next sends of a type fail. */
export class RecordingSagaRequests implements SagaRequests {
  readonly sent: SentRequest[] = [];
  readonly #failures = new Map<SentRequest['type'], number>();

  /** The next `times` sends of `type` throw (as if SQS refused them). */
  failNext(type: SentRequest['type'], times = 1): void {
    this.#failures.set(type, (this.#failures.get(type) ?? 0) + times);
  }

  of(type: SentRequest['type'], orderId?: string): SentRequest[] {
    return this.sent.filter(
      (s) => s.type === type && (orderId === undefined || s.payload.orderId === orderId),
    );
  }

  clear(): void {
    this.sent.length = 0;
  }

  async reserveStock(payload: Parameters<SagaRequests['reserveStock']>[0], meta: RequestMeta): Promise<void> {
    this.#record('ReserveStock', payload, meta);
  }

  async releaseStock(payload: { orderId: string }, meta: RequestMeta): Promise<void> {
    this.#record('ReleaseStock', payload, meta);
  }

  async authorizePayment(
    payload: Parameters<SagaRequests['authorizePayment']>[0],
    meta: RequestMeta,
  ): Promise<void> {
    this.#record('AuthorizePayment', payload, meta);
  }

  async refundPayment(payload: { orderId: string }, meta: RequestMeta): Promise<void> {
    this.#record('RefundPayment', payload, meta);
  }

  #record(type: SentRequest['type'], payload: object, meta: RequestMeta): void {
    const failures = this.#failures.get(type) ?? 0;
    if (failures > 0) {
      this.#failures.set(type, failures - 1);
      throw new Error(`SQS refused ${type}`);
    }
    this.sent.push({ type, payload: structuredClone(payload) as Record<string, unknown>, meta });
  }
}
