import * as z from '@quanta/contracts/zod';

/** The sort key of a time-ordered list item: `<ISO-8601 UTC timestamp>#<id>`. */
const LIST_SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#([A-Za-z0-9_-]{1,64})$/;
const cursorSchema = z.strictObject({ v: z.literal(1), after: z.string().check(z.regex(LIST_SORT_KEY)) });

/**
 * The opaque cursor after an item of a time-ordered list (catalog's products, chat's rooms):
 * base64url of `{ v: 1, after: <sort key> }`. Opaque to clients so the key layout can change (bump
 * `v`) without breaking them.
 *
 * @example
 * ```ts
 * encodeListCursor('2026-01-01T00:00:00.000Z#p1'); // 'eyJ2IjoxLCJhZnRlciI6…'
 * ```
 */
export function encodeListCursor(listSortKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: listSortKey }), 'utf8').toString('base64url');
}

/**
 * The sort key and item id a cursor from {@link encodeListCursor} continues after, or undefined
 * for anything it did not produce (the caller answers 400 `INVALID_CURSOR`).
 *
 * @example
 * ```ts
 * const after = decodeListCursor(query.cursor); // { sortKey: '2026-…Z#p1', id: 'p1' }
 * ```
 */
export function decodeListCursor(
  cursor: string,
): { readonly sortKey: string; readonly id: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = cursorSchema.safeParse(json);
  const id = parsed.success ? LIST_SORT_KEY.exec(parsed.data.after)?.[1] : undefined;
  return parsed.success && id !== undefined ? { sortKey: parsed.data.after, id } : undefined;
}
