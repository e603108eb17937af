/**
 * Formats a date the way EventBridge writes an event's `time`: UTC, whole seconds, no milliseconds.
 *
 * @example formatEventTime(new Date('2026-01-02T03:04:05.678Z')); // '2026-01-02T03:04:05Z'
 */
export function formatEventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
