import type { CancellationReason, OrderStatus } from '@quanta/contracts/orders';

/**
 * Where the saga of an order stands.
 * - `RESERVING`: ReserveStock sent, waiting for StockReserved | StockUnavailable.
 * - `AUTHORIZING`: stock reserved, AuthorizePayment sent, waiting for PaymentAuthorized | PaymentDeclined.
 * - `COMPENSATING`: cancelled; ReleaseStock and/or RefundPayment not yet acknowledged.
 * - `DONE`: nothing left to do (CONFIRMED, or CANCELLED with every compensation acknowledged).
 */
export type SagaStep = 'RESERVING' | 'AUTHORIZING' | 'COMPENSATING' | 'DONE';

/**
 * A request the saga sends to another quantum. The service builds the payload from the order
 * (`AuthorizePayment` also needs the card, opened from the vault only at that moment).
 */
export type SagaCommand = 'ReserveStock' | 'AuthorizePayment' | 'ReleaseStock' | 'RefundPayment';

/** State of one compensation of a cancelled order: not needed, sent and awaiting its reply, acknowledged. */
export type CompensationState = 'NONE' | 'PENDING' | 'DONE';

/** The compensations a cancelled order owes catalog (stock) and payments (payment). */
export interface Compensations {
  readonly stock: CompensationState;
  readonly payment: CompensationState;
}

/** One line of an order, priced at placement. */
export interface OrderLine {
  readonly productId: string;
  /** The product's name when the order was placed (the fallback when orders has no newer copy). */
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/**
 * An order and the state of its saga. Orders change only through `decideSaga` (the saga's state
 * machine) and are written conditionally on `version`, so concurrent steps cannot overwrite each other.
 */
export interface Order {
  readonly orderId: string;
  /** Owner; only they can read or cancel it. */
  readonly userId: string;
  readonly status: OrderStatus;
  readonly step: SagaStep;
  /** Why it was cancelled (CANCELLED only). */
  readonly reason?: CancellationReason;
  readonly items: readonly OrderLine[];
  readonly totalCents: number;
  readonly currency: string;
  /** Last 4 digits of the card; the whole number is only ever kept sealed by the `CardVault`. */
  readonly cardLast4: string;
  /** Payment id from payments (CONFIRMED only). */
  readonly paymentId?: string;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601. */
  readonly updatedAt: string;
  /** ISO-8601: the saga must end before it, or the sweep cancels the order (TIMEOUT). */
  readonly deadline: string;
  /** Correlation id of the placing request; every message and event of the saga carries it. */
  readonly correlationId: string;
  /** The Idempotency-Key it was placed with. */
  readonly idempotencyKey: string;
  readonly compensations: Compensations;
  /** How many times the sweep re-sent the pending compensations. */
  readonly compensationAttempts: number;
  /** ISO-8601: when the sweep re-sends pending compensations if no reply has come (COMPENSATING only). */
  readonly nextCompensationAt?: string;
  /**
   * Id of the message (reply, cancel request, sweep) that made the last transition, and the
   * requests that transition called for: a redelivery of that same message re-sends them, which
   * repairs a crash between the commit and the send; any other duplicate is ignored.
   */
  readonly lastMessageId?: string;
  readonly lastCommands: readonly SagaCommand[];
  /** Optimistic-concurrency counter, incremented by every write. */
  readonly version: number;
}
