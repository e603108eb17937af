import type { ArrayMembership } from './ArrayMembership';
import { NO_ARRAYS } from './ArrayMembership';
import { isJsonObject } from './isJsonObject';
import type { LeafValue } from './LeafValue';

/** One scalar of the event, with the arrays it was found in. */
export interface EventLeaf {
  readonly value: LeafValue;
  readonly membership: ArrayMembership;
}

/**
 * An event flattened the way EventBridge flattens it: leaf values by dot-joined path. Arrays are
 * "crushed out" (their elements share the array's path), empty arrays and empty objects contribute no
 * leaf, and a key that itself contains a dot is indistinguishable from nesting (AWS behaves the same:
 * `{"a.b": 1}` and `{"a": {"b": 1}}` both have the path `a.b`).
 */
export type EventIndex = ReadonlyMap<string, readonly EventLeaf[]>;

/**
 * Flattens `event` into an {@link EventIndex}.
 *
 * @param relevantPaths when given, only paths in this set are visited (it must contain every
 *   dot-boundary prefix of the paths of interest); the rest of the event is skipped unread.
 *
 * @example
 * indexEvent({ detail: { ids: [1, 2] } }).get('detail.ids'); // two leaves, 1 and 2
 */
export function indexEvent(event: object, relevantPaths?: ReadonlySet<string>): EventIndex {
  const index = new Map<string, EventLeaf[]>();
  let nextArrayId = 0;

  const visit = (value: unknown, path: string, membership: ArrayMembership): void => {
    if (Array.isArray(value)) {
      const arrayId = nextArrayId++;
      value.forEach((element, position) => {
        visit(element, path, [...membership, [arrayId, position]]);
      });
      return;
    }
    if (isJsonObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (relevantPaths === undefined || relevantPaths.has(childPath)) visit(child, childPath, membership);
      }
      return;
    }
    if (
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      let leaves = index.get(path);
      if (leaves === undefined) {
        leaves = [];
        index.set(path, leaves);
      }
      leaves.push({ value, membership });
    }
  };

  visit(event, '', NO_ARRAYS);
  return index;
}
