/**
 * An event as EventBridge delivers it to targets (and as Powertools' `EventBridgeSchema` parses it).
 *
 * @example
 * {
 *   version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': 'SessionRevoked',
 *   source: 'quanta.identity', account: '000000000000', time: '2026-01-02T03:04:05Z',
 *   region: 'us-east-1', resources: [], detail: { sessionId: 's-1' },
 * }
 */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601, UTC, whole seconds (`2026-01-02T03:04:05Z`), like AWS. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: JsonObject;
  /** Set only on events re-sent by a replay, to the replay's name. */
  readonly 'replay-name'?: string;
}

/**
 * Formats a date the way EventBridge writes an event's `time`: UTC, whole seconds, no milliseconds.
 *
 * @example formatEventTime(new Date('2026-01-02T03:04:05.678Z')); // '2026-01-02T03:04:05Z'
 */
export function formatEventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A JSON object (not an array, not null), as `JSON.parse` produces it. */
export type JsonObject = Record<string, unknown>;

/** True when `value` is a JSON object: patterns and events are only ever objects at their root. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
