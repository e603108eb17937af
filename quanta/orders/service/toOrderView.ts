import type { Order as OrderView } from '@quanta/contracts';
import type { Order } from '../domain/Order';

/**
 * An order as its owner sees it: item names from orders' own copies when it has one (so a rename
 * shows), else the name captured at placement.
 *
 * @example
 * ```ts
 * toOrderView(order, new Map([['p1', 'Blue mug']])).items[0].name; // 'Blue mug'
 * ```
 */
export function toOrderView(order: Order, names: ReadonlyMap<string, string>): OrderView {
  return {
    orderId: order.orderId,
    status: order.status,
    ...(order.reason === undefined ? {} : { reason: order.reason }),
    items: order.items.map((line) => ({
      productId: line.productId,
      name: names.get(line.productId) ?? line.name,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
    })),
    totalCents: order.totalCents,
    currency: order.currency,
    cardLast4: order.cardLast4,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    deadline: order.deadline,
  };
}
