import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { Order } from './Order';

/** What orders remembers of an `Idempotency-Key` (per user): the order it created and the body's fingerprint. */
export interface IdempotencyRecord {
  readonly userId: string;
  readonly key: string;
  /** SHA-256 (hex) of the canonical request body, without the card number (see `OrderService`). */
  readonly fingerprint: string;
  readonly orderId: string;
  /** ISO-8601. */
  readonly createdAt: string;
}

/** Everything `place` writes, atomically. */
export interface OrderPlacement {
  readonly record: IdempotencyRecord;
  readonly order: Order;
  /** The card as the `CardVault` sealed it; kept until the payment step is over (at most until the deadline). */
  readonly sealedCard: string;
  /** `OrderPlaced`. */
  readonly event: AnyEventEnvelope;
}

/** Outcome of `place`: stored, or the key was already taken (by an earlier or a concurrent request). */
export type PlaceOutcome =
  | { readonly kind: 'PLACED' }
  | { readonly kind: 'KEY_TAKEN'; readonly record: IdempotencyRecord };

/** One conditional write of a saga transition. */
export interface OrderChange {
  /** The version the transition was decided on; the write fails if the stored order moved on. */
  readonly expectedVersion: number;
  /** The new state (its `version` is `expectedVersion + 1`). */
  readonly next: Order;
  /** Event written to the outbox in the same transaction, if any. */
  readonly event?: AnyEventEnvelope;
  /** Delete the sealed card in the same transaction (the payment step is over). */
  readonly deleteCard: boolean;
}

/** An order with its sealed card, as one read returns them. */
export interface OrderWithCard {
  readonly order: Order;
  /** The card as the `CardVault` sealed it; absent once the payment step is over or past the deadline. */
  readonly sealedCard?: string;
}

/** A page of a user's orders, newest first. */
export interface OrderListPage {
  readonly orders: readonly Order[];
  /** Opaque cursor of the next page, absent on the last one. */
  readonly nextCursor?: string;
}

/** Port: where orders, their sealed cards and the idempotency records live. */
export interface OrderRepository {
  /**
   * Stores a new order: idempotency record (must not exist), order, sealed card and outbox event in
   * one atomic write. When the key is taken (also by a concurrent request racing this one) nothing is
   * written and the winner's record is returned.
   */
  place(placement: OrderPlacement): Promise<PlaceOutcome>;
  /** The record of `key` for `userId`, if any (strongly consistent). */
  findIdempotencyRecord(userId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** The order, strongly consistent. */
  get(orderId: string): Promise<Order | undefined>;
  /** Applies a transition if the order is still at `expectedVersion`; false when it moved on (a lost race). */
  commit(change: OrderChange): Promise<boolean>;
  /** The sealed card of an order, while it is kept. */
  findSealedCard(orderId: string): Promise<string | undefined>;
  /**
   * The order and its sealed card (while it is kept) in one strongly consistent read, for a saga
   * step that may ask for a payment: `get` and `findSealedCard` in one call.
   */
  getWithSealedCard(orderId: string): Promise<OrderWithCard | undefined>;
  /** A user's orders, newest first. Rejects a cursor not issued for this user's list (`InvalidCursorError`). */
  listByUser(
    userId: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<OrderListPage>;
  /** Ids of PENDING orders whose deadline is before `now`, oldest deadline first, at most `limit`. */
  findExpiredPending(now: Date, limit: number): Promise<string[]>;
  /** Ids of cancelled orders whose compensations are due for a re-send at `now`, at most `limit`. */
  findDueCompensations(now: Date, limit: number): Promise<string[]>;
}
