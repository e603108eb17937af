import type { OrderLine, UnavailableReason } from './Reservation';

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
type ReservationPlan =
  | { readonly kind: 'TAKE'; readonly lines: readonly PlannedLine[] }
  | {
      readonly kind: 'REFUSE';
      readonly reason: UnavailableReason;
      /** The products that caused the refusal (unknown ones, else the short ones). */
      readonly productIds: readonly string[];
    };

/**
 * One line per product, quantities summed, in first-seen order. A transaction may touch an item only
 * once, and "2 + 3 of one product" must be checked against the stock as 5.
 *
 * @example
 * ```ts
 * mergeOrderLines([{ productId: 'a', quantity: 2 }, { productId: 'a', quantity: 3 }]); // [{ productId: 'a', quantity: 5 }]
 * ```
 */
export function mergeOrderLines(lines: readonly OrderLine[]): OrderLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Decides, from the current stock of each product (absent: an unknown product), whether
 * all `lines` can be reserved. Unknown products win over short ones in the refusal, since no
 * restock will ever make an unknown product available.
 *
 * @example
 * ```ts
 * planReservation([{ productId: 'a', quantity: 2 }], new Map([['a', 2]]));
 * // { kind: 'TAKE', lines: [{ productId: 'a', quantity: 2, depletes: true }] }
 * ```
 */
export function planReservation(
  lines: readonly OrderLine[],
  stock: ReadonlyMap<string, number>,
): ReservationPlan {
  const unknown = lines.filter((l) => !stock.has(l.productId)).map((l) => l.productId);
  if (unknown.length > 0) return { kind: 'REFUSE', reason: 'UNKNOWN_PRODUCT', productIds: unknown };
  const short = lines.filter((l) => (stock.get(l.productId) ?? 0) < l.quantity).map((l) => l.productId);
  if (short.length > 0) return { kind: 'REFUSE', reason: 'OUT_OF_STOCK', productIds: short };
  return {
    kind: 'TAKE',
    lines: lines.map((l) => ({ ...l, depletes: stock.get(l.productId) === l.quantity })),
  };
}
