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
  /** Products whose last seen stock this instance remembers (the least recently seen go first). @default 1000 */
  readonly rememberedProducts?: number;
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
  /**
   * The stock this instance last saw each product at, from a rejected write, a read or a write
   * that emptied it. Only ever a reason to read before writing, never to refuse: a stale entry
   * costs one read, not a wrong answer.
   */
  readonly #lastSeen = new Map<string, number>();

  constructor(options: StockReservationsOptions) {
    this.#o = { now: () => new Date(), maxAttempts: 8, rememberedProducts: 1000, ...options };
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
    // A product last seen short (sold out in a flash sale, typically) gets a strongly consistent read
    // instead: a doomed conditional transaction costs more (in AWS, twice the write units of each of
    // its items, and contention on the hot product) than the read that lets it be refused right away.
    const suspect = lines
      .filter((l) => (this.#lastSeen.get(l.productId) ?? l.quantity) < l.quantity)
      .map((l) => l.productId);
    if (suspect.length > 0) this.#learn(stock, await this.#o.ledger.currentStock(suspect));
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
      if (written.kind === 'WRITTEN') {
        for (const l of plan.lines) this.#remember(l.productId, l.depletes ? 0 : undefined);
        return { kind: 'RESERVED', duplicate: false };
      }
      if (written.kind === 'ORDER_TAKEN') return outcomeOf(written.reservation);
      this.#learn(stock, written.stock);
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
          if ((await this.#o.ledger.release(reservation, now)) === 'WRITTEN') {
            // Given back: what was last seen of these products' stock is too low now.
            for (const l of reservation.lines) this.#remember(l.productId, undefined);
            return { released: true };
          }
          continue;
        case 'RELEASED':
          return { released: reservation.stockReturned };
        case 'UNAVAILABLE':
          return { released: false };
      }
    }
    throw new StockContentionError(request.orderId, this.#o.maxAttempts);
  }

  /** Takes what a read or a rejected write found as the belief of this request and of later ones. */
  #learn(beliefs: Map<string, number>, found: ReadonlyMap<string, number | undefined>): void {
    for (const [productId, units] of found) {
      if (units === undefined) beliefs.delete(productId);
      else beliefs.set(productId, units);
      this.#remember(productId, units);
    }
  }

  /** Remembers a product's stock (`undefined`: forget it), within `rememberedProducts`. */
  #remember(productId: string, units: number | undefined): void {
    this.#lastSeen.delete(productId);
    if (units === undefined) return;
    this.#lastSeen.set(productId, units);
    if (this.#lastSeen.size > this.#o.rememberedProducts) {
      const oldest = this.#lastSeen.keys().next().value;
      if (oldest !== undefined) this.#lastSeen.delete(oldest);
    }
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
