import { describe, expect, it } from 'vitest';
import { decodeProductCursor, encodeProductCursor } from '../adapters/productCursor';
import { InvalidCursorError } from '../errors';

describe('product cursors', () => {
  it('round-trip to the start key of the list query, in the cursor alphabet of the contract', () => {
    // Arrange
    const sortKey = '2026-01-01T00:00:00.000Z#3f1c-ab_9';

    // Act
    const cursor = encodeProductCursor(sortKey);
    const start = decodeProductCursor(cursor);

    // Assert
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(start).toEqual({ pk: 'PRODUCT#3f1c-ab_9', sk: 'PRODUCT', gsi1pk: 'PRODUCTS', gsi1sk: sortKey });
  });

  it.each([
    ['not base64 JSON', 'abc'],
    ['JSON of the wrong shape', Buffer.from('{"after":"x"}').toString('base64url')],
    ['a future version', Buffer.from('{"v":2,"after":"2026-01-01T00:00:00.000Z#p1"}').toString('base64url')],
    ['a key that is not a list key', Buffer.from('{"v":1,"after":"PRODUCT#p1"}').toString('base64url')],
    [
      'an extra field',
      Buffer.from('{"v":1,"after":"2026-01-01T00:00:00.000Z#p1","x":1}').toString('base64url'),
    ],
  ])('reject %s with InvalidCursorError', (_, cursor) => {
    // Arrange
    const decode = () => decodeProductCursor(cursor);

    // Act / Assert
    expect(decode).toThrow(InvalidCursorError);
  });
});
