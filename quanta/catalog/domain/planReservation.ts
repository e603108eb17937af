import type { OrderLine } from './OrderLine';
import type { ReservationPlan } from './ReservationPlan';

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
