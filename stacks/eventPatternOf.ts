import type * as events from 'aws-cdk-lib/aws-events';

/**
 * A manifest's EventBridge pattern (raw EventBridge JSON: `detail-type`, `$or`, operators …) as a CDK
 * `EventPattern`. CDK renders unknown keys verbatim and only renames its own `detailType`, so the raw
 * JSON passes through unchanged and the deployed rule matches exactly what the local bus matches.
 *
 * @example
 * ```ts
 * new events.Rule(this, 'Rule', { eventPattern: eventPatternOf({ source: ['quanta.identity'], 'detail-type': ['SessionRevoked'] }) });
 * ```
 */
export function eventPatternOf(pattern: Readonly<Record<string, unknown>>): events.EventPattern {
  return { ...pattern } as events.EventPattern;
}
