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
