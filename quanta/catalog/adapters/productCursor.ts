import { z } from 'zod';
import { InvalidCursorError } from '../errors';
import { catalogKeys, PRODUCT_LIST_PARTITION as PRODUCT_LIST_PARTITION_KEY } from './catalogKeys';

const ID = '[A-Za-z0-9_-]{1,64}';
const listSortKey = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z#(${ID})$`);
const cursorSchema = z.strictObject({ v: z.literal(1), after: z.string().regex(listSortKey) });

/**
 * The opaque cursor after a product list item: base64url of `{ v: 1, after: <gsi1sk> }`. Opaque to
 * clients so the key layout can change (bump `v`) without breaking them.
 *
 * @example
 * ```ts
 * encodeProductCursor('2026-01-01T00:00:00.000Z#p1'); // 'eyJ2IjoxLCJhZnRlciI6…'
 * ```
 */
export function encodeProductCursor(listSortKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: listSortKey }), 'utf8').toString('base64url');
}

/**
 * The `ExclusiveStartKey` of the list query that continues after `cursor`; a 400
 * `INVALID_CURSOR` for anything {@link encodeProductCursor} did not produce.
 *
 * @example
 * ```ts
 * const start = decodeProductCursor(query.cursor); // { pk, sk, gsi1pk, gsi1sk }
 * ```
 */
export function decodeProductCursor(cursor: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError(cursor, { cause: error });
  }
  const parsed = cursorSchema.safeParse(json);
  const productId = parsed.success ? listSortKey.exec(parsed.data.after)?.[1] : undefined;
  if (!parsed.success || productId === undefined) throw new InvalidCursorError(cursor);
  // A GSI query's start key is the index key plus the table key of the last item seen.
  return { ...catalogKeys.product(productId), gsi1pk: PRODUCT_LIST_PARTITION_KEY, gsi1sk: parsed.data.after };
}
