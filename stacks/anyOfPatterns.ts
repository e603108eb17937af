/**
 * One EventBridge pattern that matches whatever any of `patterns` matches: the pattern itself when
 * there is one, a top-level `$or` otherwise (duplicates removed). Used for the platform's single
 * forwarding rule per remote quantum.
 *
 * @example
 * ```ts
 * anyOfPatterns([{ source: ['quanta.identity'] }, { source: ['quanta.catalog'] }]);
 * // { $or: [{ source: ['quanta.identity'] }, { source: ['quanta.catalog'] }] }
 * ```
 */
export function anyOfPatterns(
  patterns: readonly Readonly<Record<string, unknown>>[],
): Readonly<Record<string, unknown>> | undefined {
  const unique = [...new Map(patterns.map((p) => [JSON.stringify(p), p])).values()];
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return unique[0];
  return { $or: unique };
}
