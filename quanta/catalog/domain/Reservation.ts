/** A quantity of one product, as an order asks for it. */
export interface OrderLine {
  readonly productId: string;
  /** Positive. */
  readonly quantity: number;
}

/** Why an order's stock could not be reserved (the `reason` of the `StockUnavailable` reply). */
export type UnavailableReason = 'OUT_OF_STOCK' | 'UNKNOWN_PRODUCT';

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
