import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { PlannedLine } from './planReservation';
import type { ActiveReservation, RefusedReservation, Reservation } from './Reservation';

/**
 * Outcome of a conditional write that creates an order's reservation. Nothing was written unless
 * `WRITTEN`; otherwise it says what the write found instead of what it expected:
 * - `ORDER_TAKEN`: the order already has `reservation` (a duplicate or a release got there first);
 * - `STALE`: some products' stock did not meet the plan; `stock` has their current stock
 *   (`undefined`: the product does not exist). Products not listed met the plan.
 */
export type ReservationWrite =
  | { readonly kind: 'WRITTEN' }
  | { readonly kind: 'ORDER_TAKEN'; readonly reservation: Reservation }
  | { readonly kind: 'STALE'; readonly stock: ReadonlyMap<string, number | undefined> };

/** Outcome of a conditional write on an existing reservation: `STALE` when it was no longer as expected. */
export type ReleaseWrite = 'WRITTEN' | 'STALE';

/**
 * Port: stock and reservations, written only with conditional, atomic writes, so stock never goes
 * below zero and never comes back twice, whatever runs concurrently or is redelivered. Writes are
 * optimistic: no read is needed before one, and a rejected write reports what it found, which is
 * all the caller needs to decide again.
 */
export interface StockLedger {
  /** Strongly consistent read of the order's reservation. */
  reservation(orderId: string): Promise<Reservation | undefined>;
  /**
   * Strongly consistent read of the products' current stock, one entry per id (`undefined`: the
   * product does not exist).
   */
  currentStock(productIds: readonly string[]): Promise<ReadonlyMap<string, number | undefined>>;
  /**
   * In one atomic write: takes every planned line from its product (only if the product exists and
   * has exactly / more than the planned quantity), creates `reservation` (only if the order has
   * none) and writes `events` to the outbox.
   */
  reserve(
    reservation: ActiveReservation,
    lines: readonly PlannedLine[],
    events: readonly AnyEventEnvelope[],
  ): Promise<ReservationWrite>;
  /** Records a refusal, only if the order has no reservation. Never `STALE`. */
  refuse(reservation: RefusedReservation): Promise<Exclude<ReservationWrite, { kind: 'STALE' }>>;
  /**
   * In one atomic write: gives every line of `reservation` back to its product and marks it
   * released, only if it is still `RESERVED` (`STALE` otherwise).
   */
  release(reservation: ActiveReservation, releasedAt: string): Promise<ReleaseWrite>;
  /**
   * Records that `orderId` was released before it reserved anything, only if it has no reservation
   * (`STALE` otherwise).
   */
  tombstone(orderId: string, releasedAt: string): Promise<ReleaseWrite>;
}
