import { isJsonObject } from './EventBridgeEvent';

/** A leaf of an event as the matcher sees it: EventBridge matches only scalar JSON values. */
export type LeafValue = string | number | boolean | null;

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

/**
 * Where a leaf sits inside the event's arrays: one `[arrayId, elementIndex]` pair per enclosing array.
 *
 * EventBridge refuses to combine, in one match, two fields taken from different elements of the same
 * array ("array-consistent matching"): `{ "a": { "x": [1], "y": [2] } }` does not match
 * `{ "a": [ { "x": 1 }, { "y": 2 } ] }`. Memberships carry what is needed to enforce that.
 */
export type ArrayMembership = readonly (readonly [arrayId: number, index: number])[];

/** The membership of a leaf that is in no array. */
export const NO_ARRAYS: ArrayMembership = [];

/** True when no array appears in both memberships with different element indexes. */
export function isConsistent(a: ArrayMembership, b: ArrayMembership): boolean {
  if (a.length === 0 || b.length === 0) return true;
  for (const [id, index] of a) {
    for (const [otherId, otherIndex] of b) {
      if (id === otherId && index !== otherIndex) return false;
    }
  }
  return true;
}

/** The union of two consistent memberships. */
export function mergeMemberships(a: ArrayMembership, b: ArrayMembership): ArrayMembership {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const merged = [...a];
  for (const pair of b) {
    if (!a.some(([id]) => id === pair[0])) merged.push(pair);
  }
  return merged;
}
