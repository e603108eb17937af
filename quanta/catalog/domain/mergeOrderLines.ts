import type { OrderLine } from './OrderLine';

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
