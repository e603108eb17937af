import { describe, expect, it } from 'vitest';
import { createProductRequestSchema, ReserveStock } from '../src/catalog';
import { MAX_AMOUNT_CENTS } from '../src/common';
import { placeOrderRequestSchema } from '../src/orders';
import { AuthorizePayment } from '../src/payments';
import * as z from '../src/zod';

/** The largest order a client may send: 20 lines of 100 units. */
const largestOrder = z.parse(placeOrderRequestSchema, {
  items: Array.from({ length: 20 }, (_, i) => ({ productId: `p-${i}`, quantity: 100 })),
  card: { number: '4242424242424242' },
});

describe('limits across contracts', () => {
  it('make every order a client may send a ReserveStock that catalog accepts', () => {
    const reserve = z.safeParse(ReserveStock.payload, { orderId: 'o-1', items: largestOrder.items });

    expect(reserve.success).toBe(true);
  });

  it('let a valid order cost more than one payment may carry, which is why orders checks the total (decision D40)', () => {
    const maxPrice = z.parse(createProductRequestSchema, {
      name: 'Dearest',
      priceCents: MAX_AMOUNT_CENTS,
      currency: 'EUR',
      stock: 1,
    }).priceCents;
    const largestTotal = largestOrder.items.reduce((sum, line) => sum + line.quantity * maxPrice, 0);
    const payment = (amountCents: number) =>
      z.safeParse(AuthorizePayment.payload, {
        orderId: 'o-1',
        amountCents,
        currency: 'EUR',
        card: { number: '4242424242424242' },
      }).success;

    expect(largestTotal).toBe(200_000_000_000);
    expect(Number.isSafeInteger(largestTotal)).toBe(true);
    expect(payment(MAX_AMOUNT_CENTS)).toBe(true);
    expect(payment(MAX_AMOUNT_CENTS + 1)).toBe(false);
  });
});
