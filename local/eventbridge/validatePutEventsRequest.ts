import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventBridgeValidationError } from './errors';
import { putEventsEntrySize } from './putEventsEntrySize';

/** AWS's limit on the summed size of a request's entries (256 KB). */
export const DEFAULT_MAX_ENTRIES_BYTES = 256 * 1024;

/**
 * Request-level checks of `PutEvents`, which fail the whole call with a `ValidationException`
 * (per-entry problems are reported per entry instead, see `checkPutEventsEntry`).
 *
 * @throws {EventBridgeValidationError} when there are not 1 to 10 entries, or they are too large together.
 *
 * @example
 * validatePutEventsRequest([]); // throws: … Member must have length greater than or equal to 1
 */
export function validatePutEventsRequest(
  entries: readonly PutEventsRequestEntry[],
  maxEntriesBytes: number = DEFAULT_MAX_ENTRIES_BYTES,
): void {
  if (entries.length < 1 || entries.length > 10) {
    const constraint = entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
    throw new EventBridgeValidationError(
      `1 validation error detected: Value '[${entries.map(describeEntry).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length ${constraint}`,
    );
  }
  const total = entries.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
  if (total > maxEntriesBytes) {
    throw new EventBridgeValidationError('Total size of the entries in the request is over the limit.');
  }
}

// AWS echoes the entries in its Java toString form; the same shape keeps error messages familiar.
function describeEntry(entry: PutEventsRequestEntry): string {
  const field = (value: string | undefined): string => value ?? 'null';
  return `PutEventsRequestEntry(time=${entry.Time?.toISOString() ?? 'null'}, source=${field(entry.Source)}, resources=${entry.Resources === undefined ? 'null' : `[${entry.Resources.join(', ')}]`}, detailType=${field(entry.DetailType)}, detail=${field(entry.Detail)}, eventBusName=${field(entry.EventBusName)}, traceHeader=${field(entry.TraceHeader)})`;
}
