import { describe, expect, it } from 'vitest';
import { mergeOrderLines, planReservation } from '../domain/planReservation';

describe('planReservation', () => {
  it('takes every line, marking the ones that empty their product', () => {
    // Arrange
    const lines = [
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 1 },
    ];

    // Act
    const plan = planReservation(
      lines,
      new Map([
        ['a', 2],
        ['b', 5],
      ]),
    );

    // Assert
    expect(plan).toEqual({
      kind: 'TAKE',
      lines: [
        { productId: 'a', quantity: 2, depletes: true },
        { productId: 'b', quantity: 1, depletes: false },
      ],
    });
  });

  it('refuses with OUT_OF_STOCK naming every short product', () => {
    // Arrange
    const lines = [
      { productId: 'a', quantity: 3 },
      { productId: 'b', quantity: 1 },
      { productId: 'c', quantity: 9 },
    ];

    // Act
    const plan = planReservation(
      lines,
      new Map([
        ['a', 2],
        ['b', 5],
        ['c', 0],
      ]),
    );

    // Assert
    expect(plan).toEqual({ kind: 'REFUSE', reason: 'OUT_OF_STOCK', productIds: ['a', 'c'] });
  });

  it('refuses with UNKNOWN_PRODUCT when a product does not exist, even if another is short', () => {
    // Arrange
    const lines = [
      { productId: 'a', quantity: 3 },
      { productId: 'ghost', quantity: 1 },
    ];

    // Act
    const plan = planReservation(lines, new Map([['a', 0]]));

    // Assert
    expect(plan).toEqual({ kind: 'REFUSE', reason: 'UNKNOWN_PRODUCT', productIds: ['ghost'] });
  });
});

describe('mergeOrderLines', () => {
  it('sums the quantities of repeated products and keeps first-seen order', () => {
    // Arrange
    const lines = [
      { productId: 'b', quantity: 1 },
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 3 },
    ];

    // Act
    const merged = mergeOrderLines(lines);

    // Assert
    expect(merged).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
  });
});
