import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { OrderCancelled, OrderConfirmed } from '@quanta/contracts/orders';
import { createEnvelope } from '@quanta/runtime/events';
import type { CardVault } from '../domain/CardVault';
import { decideSaga, mayRequestPayment, type OrderEventType, type SagaSignal } from '../domain/decideSaga';
import type { Order, SagaCommand } from '../domain/Order';
import type { OrderRepository } from '../domain/OrderRepository';
import type { SagaRequests } from '../domain/SagaRequests';
import { OrderContendedError, OrderDataError, SagaRequestNotSentError } from '../errors';

/** Where the saga's services report what they decided (the Powertools logger satisfies it). Never given card data. */
export interface SagaLog {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** A {@link SagaLog} that drops everything (the default). */
export const silentSagaLog: SagaLog = { info: () => undefined, warn: () => undefined };

/** Dependencies and settings of {@link SagaCoordinator}. */
export interface SagaCoordinatorOptions {
  readonly orders: OrderRepository;
  readonly requests: SagaRequests;
  readonly vault: CardVault;
  /** Delay before the sweep first re-sends an unacknowledged compensation (doubles per attempt). */
  readonly compensationRetrySeconds: number;
  /**
   * Deadline given to ReleaseStock/RefundPayment, from when they are sent. Compensations must be
   * applied however late they arrive, so it is long. @default 86400 (1 day)
   */
  readonly compensationDeadlineSeconds?: number;
  /** Reads-decide-writes before giving up on an order that keeps changing. @default 5 */
  readonly maxAttempts?: number;
  readonly log?: SagaLog;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** An order as the saga loaded it, and its sealed card (as read with it, or read on demand). */
interface LoadedOrder {
  readonly order: Order;
  readonly sealedCard: () => Promise<string | undefined>;
}

/** Where a signal comes from. */
export interface SignalOrigin {
  /** Id of the carrying message (reply message id, cancel request id, sweep attempt id). */
  readonly messageId: string;
}

/** How {@link SagaCoordinator.apply} behaves. */
export interface ApplyOptions {
  /** Called with every loaded order before deciding; throw to refuse (e.g. not the owner). */
  readonly guard?: (order: Order) => void;
  /**
   * What a failed send does after a committed transition: `throw` (the caller's message is retried,
   * and its redelivery re-sends) or `defer` (logged; compensations are re-sent by the sweep, forward
   * steps end at the deadline). @default 'throw'
   */
  readonly onSendFailure?: 'throw' | 'defer';
}

/** What {@link SagaCoordinator.apply} did. */
export type SagaOutcome =
  | { readonly kind: 'COMMITTED'; readonly order: Order; readonly sent: readonly SagaCommand[] }
  | { readonly kind: 'SENT'; readonly order: Order; readonly sent: readonly SagaCommand[] }
  | { readonly kind: 'IGNORED'; readonly order: Order; readonly why: string }
  | { readonly kind: 'NOT_PENDING'; readonly order: Order }
  | { readonly kind: 'UNKNOWN_ORDER' };

/**
 * Runs the orchestrated saga, one signal at a time: loads the order, lets `decideSaga` choose,
 * commits the transition conditionally on the version it decided on (with its outbox event and
 * the card's deletion, atomically), and only then sends the requests it calls for. A lost race
 * reloads and decides again. Because the commit comes first, a crash before the send is repaired
 * by the redelivery of the same message (see `decideSaga`), and at worst by the deadline sweep.
 *
 * @example
 * ```ts
 * const saga = new SagaCoordinator({ orders, requests, vault, compensationRetrySeconds: 60 });
 * await saga.apply(orderId, { type: 'StockReserved' }, { messageId: envelope.messageId });
 * ```
 */
export class SagaCoordinator {
  readonly #o: Required<Omit<SagaCoordinatorOptions, 'log'>> & { readonly log: SagaLog };

  constructor(options: SagaCoordinatorOptions) {
    this.#o = {
      compensationDeadlineSeconds: 86_400,
      maxAttempts: 5,
      now: () => new Date(),
      log: silentSagaLog,
      ...options,
    };
  }

  /** Applies `signal` to order `orderId`; see the class description. */
  async apply(
    orderId: string,
    signal: SagaSignal,
    origin: SignalOrigin,
    options: ApplyOptions = {},
  ): Promise<SagaOutcome> {
    const { orders, maxAttempts, log } = this.#o;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const loaded = await this.#load(orderId, signal);
      if (loaded === undefined) {
        log.warn('Saga signal for an unknown order ignored', { orderId, signal: signal.type });
        return { kind: 'UNKNOWN_ORDER' };
      }
      const { order, sealedCard } = loaded;
      options.guard?.(order);
      const now = this.#o.now();
      const decision = decideSaga(order, signal, {
        now,
        messageId: origin.messageId,
        compensationRetrySeconds: this.#o.compensationRetrySeconds,
      });
      switch (decision.kind) {
        case 'notPending':
          return { kind: 'NOT_PENDING', order };
        case 'ignore':
          log.info('Saga signal ignored', { orderId, signal: signal.type, why: decision.why });
          return { kind: 'IGNORED', order, why: decision.why };
        case 'send':
          log.info('Saga requests re-sent', { orderId, signal: signal.type, why: decision.why });
          await this.#send(order, decision.commands, now, options, sealedCard);
          return { kind: 'SENT', order, sent: decision.commands };
        case 'commit': {
          const committed = await orders.commit({
            expectedVersion: order.version,
            next: decision.next,
            deleteCard: decision.deleteCard,
            ...(decision.event === undefined
              ? {}
              : { event: this.#event(decision.event, decision.next, origin, now) }),
          });
          if (!committed) continue;
          log.info('Saga transition', {
            orderId,
            signal: signal.type,
            from: `${order.status}/${order.step}`,
            to: `${decision.next.status}/${decision.next.step}`,
            reason: decision.next.reason,
          });
          // The card read with the order is still current: only a transition (which would have
          // failed this commit) or its TTL at the deadline removes it.
          await this.#send(decision.next, decision.commands, now, options, sealedCard);
          return { kind: 'COMMITTED', order: decision.next, sent: decision.commands };
        }
      }
    }
    throw new OrderContendedError(orderId, maxAttempts);
  }

  /**
   * Sends one saga request for `order` (used by placement for ReserveStock). Throws
   * `SagaRequestNotSentError` when it could not be sent.
   */
  async send(order: Order, command: SagaCommand): Promise<void> {
    await this.#send(order, [command], this.#o.now(), { onSendFailure: 'throw' });
  }

  /**
   * The order, and how to get its sealed card: read in the same call when the signal may ask for a
   * payment (one Query instead of two GetItems), else read only if a request turns out to need it.
   */
  async #load(orderId: string, signal: SagaSignal): Promise<LoadedOrder | undefined> {
    const { orders } = this.#o;
    if (mayRequestPayment(signal)) {
      const found = await orders.getWithSealedCard(orderId);
      return found === undefined
        ? undefined
        : { order: found.order, sealedCard: () => Promise.resolve(found.sealedCard) };
    }
    const order = await orders.get(orderId);
    return order === undefined ? undefined : { order, sealedCard: this.#cardOf(orderId) };
  }

  #cardOf(orderId: string): () => Promise<string | undefined> {
    return () => this.#o.orders.findSealedCard(orderId);
  }

  async #send(
    order: Order,
    commands: readonly SagaCommand[],
    now: Date,
    options: ApplyOptions,
    sealedCard = this.#cardOf(order.orderId),
  ): Promise<void> {
    const results = await Promise.allSettled(commands.map((c) => this.#sendOne(order, c, now, sealedCard)));
    const failed = commands.filter((_, i) => results[i]?.status === 'rejected');
    if (failed.length === 0) return;
    const cause = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    const error = new SagaRequestNotSentError(failed.join(' + '), order.orderId, { cause });
    if ((options.onSendFailure ?? 'throw') === 'throw') throw error;
    this.#o.log.warn('Saga requests not sent; the sweep takes over', {
      orderId: order.orderId,
      requests: failed,
      error: error.message,
    });
  }

  async #sendOne(
    order: Order,
    command: SagaCommand,
    now: Date,
    sealedCard: () => Promise<string | undefined>,
  ): Promise<void> {
    const { requests } = this.#o;
    const { orderId, correlationId } = order;
    const forward = { correlationId, deadline: new Date(order.deadline) };
    const compensation = {
      correlationId,
      deadline: new Date(now.getTime() + this.#o.compensationDeadlineSeconds * 1000),
    };
    switch (command) {
      case 'ReserveStock':
        return requests.reserveStock(
          { orderId, items: order.items.map((l) => ({ productId: l.productId, quantity: l.quantity })) },
          forward,
        );
      case 'AuthorizePayment': {
        const sealed = await sealedCard();
        if (sealed === undefined) {
          // Only past the deadline (TTL) or after the payment step: the sweep cancels the order.
          this.#o.log.warn('No card kept for the order; payment not requested', { orderId });
          return;
        }
        const card = await this.#o.vault.open(sealed, orderId);
        return requests.authorizePayment(
          { orderId, amountCents: order.totalCents, currency: order.currency, card },
          forward,
        );
      }
      case 'ReleaseStock':
        return requests.releaseStock({ orderId }, compensation);
      case 'RefundPayment':
        return requests.refundPayment({ orderId }, compensation);
    }
  }

  #event(type: OrderEventType, order: Order, origin: SignalOrigin, now: Date): AnyEventEnvelope {
    const envelopeOrigin = {
      correlationId: order.correlationId,
      causationId: origin.messageId,
      occurredAt: now,
    };
    if (type === 'OrderConfirmed') {
      if (order.paymentId === undefined) {
        throw new OrderDataError(`Order ${order.orderId} is confirmed without a payment id`);
      }
      return createEnvelope(
        OrderConfirmed,
        {
          orderId: order.orderId,
          userId: order.userId,
          totalCents: order.totalCents,
          currency: order.currency,
          paymentId: order.paymentId,
        },
        envelopeOrigin,
      );
    }
    return createEnvelope(
      OrderCancelled,
      { orderId: order.orderId, userId: order.userId, reason: order.reason ?? 'TIMEOUT' },
      envelopeOrigin,
    );
  }
}
