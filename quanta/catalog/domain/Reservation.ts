import type { OrderLine } from './OrderLine';
import type { UnavailableReason } from './UnavailableReason';

/** The order holds `lines` of stock. */
export interface ActiveReservation {
  readonly status: 'RESERVED';
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  /** ISO-8601. */
  readonly reservedAt: string;
}

/**
 * The order was released: its stock was given back (`stockReturned`), or it had none when the
 * release came (a tombstone, so a late reservation for it cannot take stock).
 */
export interface ReleasedReservation {
  readonly status: 'RELEASED';
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  readonly stockReturned: boolean;
  /** ISO-8601. */
  readonly releasedAt: string;
}

/** The order's reservation was refused; kept so a redelivered request gets the same answer. */
export interface RefusedReservation {
  readonly status: 'UNAVAILABLE';
  readonly orderId: string;
  readonly productIds: readonly string[];
  readonly reason: UnavailableReason;
  /** ISO-8601. */
  readonly decidedAt: string;
}

/**
 * What catalog decided for one order id. There is at most one per order and its first decision
 * is final, which is what makes ReserveStock and ReleaseStock idempotent per order:
 * `RESERVED -> RELEASED` is the only transition.
 */
export type Reservation = ActiveReservation | ReleasedReservation | RefusedReservation;
