import type { UnavailableReason } from './UnavailableReason';

/**
 * One line of a reservation about to be written: take `quantity` units of `productId`, under the
 * expectation it was planned with. `depletes` lines were planned with stock exactly `quantity` (the
 * write must find exactly that, and the product then reaches 0); the others with more than
 * `quantity` (the write must find more, so stock stays above 0). A write that finds otherwise is
 * stale and re-planned, so a reservation that empties a product is always known to do so.
 */
export interface PlannedLine {
  readonly productId: string;
  readonly quantity: number;
  readonly depletes: boolean;
}

/** What {@link planReservation} decided from what is known of the stock. */
export type ReservationPlan =
  | { readonly kind: 'TAKE'; readonly lines: readonly PlannedLine[] }
  | {
      readonly kind: 'REFUSE';
      readonly reason: UnavailableReason;
      /** The products that caused the refusal (unknown ones, else the short ones). */
      readonly productIds: readonly string[];
    };
