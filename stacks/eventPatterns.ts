import type * as events from 'aws-cdk-lib/aws-events';

/**
 * A plan's event pattern as CDK's `EventPattern`. The plan holds patterns in EventBridge's own JSON
 * (the same the local bus matches), which CDK renders unchanged: no `events.Match` translation.
 *
 * @example
 * ```ts
 * new events.Rule(this, 'Rule', { eventBus, eventPattern: eventPatternOf({ source: ['quanta.identity'] }) });
 * ```
 */
export function eventPatternOf(pattern: Readonly<Record<string, unknown>>): events.EventPattern {
  return { ...pattern } as events.EventPattern;
}

/**
 * One pattern matching whatever any of `patterns` matches: the single pattern itself, or `$or` of
 * the distinct ones (the platform forwards a remote quantum's subscriptions with one rule).
 *
 * @example
 * ```ts
 * anyOfPatterns([{ source: ['quanta.catalog'] }, { source: ['quanta.orders'] }]); // { $or: [...] }
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
