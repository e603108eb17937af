import { decodeListCursor, encodeListCursor } from '@quanta/runtime/dynamodb/cursor';
import { InvalidCursorError } from '../errors';
import { chatKeys, ROOM_LIST_PARTITION } from './chatKeys';

/**
 * The opaque cursor after a room of the list (`<createdAt>#<id>` on gsi1); see `encodeListCursor`.
 *
 * @example
 * ```ts
 * encodeRoomCursor('2026-01-01T00:00:00.000Z#x1'); // 'eyJ2IjoxLCJhZnRlciI6…'
 * ```
 */
export const encodeRoomCursor: (listSortKey: string) => string = encodeListCursor;

/**
 * The `ExclusiveStartKey` of the list query that continues after `cursor`; a 400 `INVALID_CURSOR`
 * for anything {@link encodeRoomCursor} did not produce.
 *
 * @example
 * ```ts
 * const start = decodeRoomCursor(query.cursor); // { pk, sk, gsi1pk, gsi1sk }
 * ```
 */
export function decodeRoomCursor(cursor: string): Record<string, string> {
  const after = decodeListCursor(cursor);
  if (after === undefined) throw new InvalidCursorError(cursor);
  // A GSI query's start key is the index key plus the table key of the last item seen.
  return { ...chatKeys.room(after.id), gsi1pk: ROOM_LIST_PARTITION, gsi1sk: after.sortKey };
}
