import { StockDepleted } from '@quanta/contracts/catalog';
import { createEnvelope, type EnvelopeOrigin } from '@quanta/runtime/events';
import { mergeOrderLines, planReservation } from '../domain/planReservation';
import type { OrderLine, Reservation, UnavailableReason } from '../domain/Reservation';
import type { StockLedger } from '../domain/StockLedger';
import { StockContentionError } from '../errors';

/** Dependencies and settings of {@link StockReservations}. */
interface StockReservationsOptions {
  readonly ledger: StockLedger;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Decide-and-write rounds before giving up with a retryable {@link StockContentionError}. Every
   * lost round means another writer made progress on the same stock, so few are ever needed. @default 8
   */
  readonly maxAttempts?: number;
}

/** The request message's ids, propagated into the events its handling causes. */
type RequestOrigin = Pick<EnvelopeOrigin, 'correlationId' | 'causationId'>;

/** A ReserveStock request, as the service needs it. */
interface ReserveRequest extends RequestOrigin {
  readonly orderId: string;
  readonly items: readonly OrderLine[];
  /** After this instant the request must not be acted on. */
  readonly deadline: Date;
}

/** A ReleaseStock request, as the service needs it. */
interface ReleaseRequest extends RequestOrigin {
  readonly orderId: string;
}

/**
 * What catalog answers to a ReserveStock request.
 * - `RESERVED`: every line is held for the order (`duplicate`: it already was; nothing changed now).
 * - `UNAVAILABLE`: nothing was reserved; `productIds` say which products were unknown or short.
 * - `EXPIRED`: the request was past its deadline and was not acted on (no reply: the requester's
 *   deadline handling cancels the order).
 * - `RELEASED`: the order was already released (compensated) and must not reserve again (no reply:
 *   the requester gave up on this reservation itself).
 */
export type ReserveOutcome =
  | { readonly kind: 'RESERVED'; readonly duplicate: boolean }
  | {
      readonly kind: 'UNAVAILABLE';
      readonly productIds: readonly string[];
      readonly reason: UnavailableReason;
    }
  | { readonly kind: 'EXPIRED' }
  | { readonly kind: 'RELEASED' };

/**
 * catalog's stock use cases behind the ReserveStock and ReleaseStock requests: all-or-nothing
 * reservations, idempotent per order id, that never take stock below zero and never give it back
 * twice, under concurrency and redelivery. The first decision for an order is final: a duplicate
 * gets the same answer, a release leaves a tombstone that no later reservation gets past.
 *
 * @example
 * ```ts
 * const reservations = new StockReservations({ ledger });
 * const outcome = await reservations.reserve({ orderId, items, deadline, correlationId, causationId: messageId });
 * const { released } = await reservations.release({ orderId, correlationId });
 * ```
 */
export class StockReservations {
  readonly #o: Required<StockReservationsOptions>;

  constructor(options: StockReservationsOptions) {
    this.#o = { now: () => new Date(), maxAttempts: 8, ...options };
  }

  /**
   * Reserves every line of the order, or none. Emits `StockDepleted`, in the same write, for each
   * product the reservation empties.
   */
  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    const lines = mergeOrderLines(request.items);
    // What is known of each product's stock. It starts as "enough" (quantity + 1: the weakest
    // belief under which the write's `stock > quantity` condition holds), so the common case is one
    // write and no read; every rejected write reports the real stock of the products it failed on.
    const stock = new Map(lines.map((l) => [l.productId, l.quantity + 1]));
    for (let attempt = 1; attempt <= this.#o.maxAttempts; attempt++) {
      const now = this.#o.now();
      // Checked before every write, not once: a round lost to contention must not commit late.
      if (now.getTime() > request.deadline.getTime()) return { kind: 'EXPIRED' };
      const plan = planReservation(lines, stock);
      if (plan.kind === 'REFUSE') {
        const refused = await this.#o.ledger.refuse({
          status: 'UNAVAILABLE',
          orderId: request.orderId,
          productIds: plan.productIds,
          reason: plan.reason,
          decidedAt: now.toISOString(),
        });
        return refused.kind === 'WRITTEN'
          ? { kind: 'UNAVAILABLE', productIds: plan.productIds, reason: plan.reason }
          : outcomeOf(refused.reservation);
      }
      const origin = {
        correlationId: request.correlationId,
        causationId: request.causationId,
        occurredAt: now,
      };
      const events = plan.lines
        .filter((l) => l.depletes)
        .map((l) => createEnvelope(StockDepleted, { productId: l.productId }, origin));
      const written = await this.#o.ledger.reserve(
        { status: 'RESERVED', orderId: request.orderId, lines, reservedAt: now.toISOString() },
        plan.lines,
        events,
      );
      if (written.kind === 'WRITTEN') return { kind: 'RESERVED', duplicate: false };
      if (written.kind === 'ORDER_TAKEN') return outcomeOf(written.reservation);
      for (const [productId, units] of written.stock) {
        if (units === undefined) stock.delete(productId);
        else stock.set(productId, units);
      }
    }
    throw new StockContentionError(request.orderId, this.#o.maxAttempts);
  }

  /**
   * Gives back what the order reserved, once. `released` is true when the order's stock has been
   * given back (by this request or an earlier copy of it), false when it had nothing reserved; in
   * that case a tombstone makes any later reservation for the order a no-op.
   */
  async release(request: ReleaseRequest): Promise<{ released: boolean }> {
    for (let attempt = 1; attempt <= this.#o.maxAttempts; attempt++) {
      const now = this.#o.now().toISOString();
      const reservation = await this.#o.ledger.reservation(request.orderId);
      if (reservation === undefined) {
        if ((await this.#o.ledger.tombstone(request.orderId, now)) === 'WRITTEN') return { released: false };
        continue;
      }
      switch (reservation.status) {
        case 'RESERVED':
          if ((await this.#o.ledger.release(reservation, now)) === 'WRITTEN') return { released: true };
          continue;
        case 'RELEASED':
          return { released: reservation.stockReturned };
        case 'UNAVAILABLE':
          return { released: false };
      }
    }
    throw new StockContentionError(request.orderId, this.#o.maxAttempts);
  }
}

function outcomeOf(reservation: Reservation): ReserveOutcome {
  switch (reservation.status) {
    case 'RESERVED':
      return { kind: 'RESERVED', duplicate: true };
    case 'UNAVAILABLE':
      return { kind: 'UNAVAILABLE', productIds: reservation.productIds, reason: reservation.reason };
    case 'RELEASED':
      return { kind: 'RELEASED' };
  }
}
