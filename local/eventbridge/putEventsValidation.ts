/**
 * `PutEvents` validation as EventBridge does it: request-level checks fail the whole call, each
 * entry is checked on its own and reported in the response.
 */
import { Buffer } from 'node:buffer';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { JsonObject } from './EventBridgeEvent';
import { isJsonObject } from './EventBridgeEvent';
import { EventBridgeValidationError } from './errors';

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

/** The verdict on one `PutEvents` entry: its parsed detail, or the per-entry error AWS returns. */
export type PutEventsEntryCheck =
  | { readonly ok: true; readonly source: string; readonly detailType: string; readonly detail: JsonObject }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

/**
 * Checks one `PutEvents` entry as EventBridge does, in its order: `Source`, `DetailType` and
 * `Detail` are required (`InvalidArgument`), and `Detail` must be a JSON object (`MalformedDetail`).
 * A failed entry does not fail the request: it gets `ErrorCode`/`ErrorMessage` in the response.
 *
 * @example
 * checkPutEventsEntry({ Source: 'quanta.identity', DetailType: 'UserRegistered', Detail: '[]' });
 * // { ok: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' }
 */
export function checkPutEventsEntry(entry: PutEventsRequestEntry): PutEventsEntryCheck {
  const { Source: source, DetailType: detailType, Detail: detail } = entry;
  if (!source) return missing('Source');
  if (!detailType) return missing('DetailType');
  if (!detail) return missing('Detail');
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    parsed = undefined;
  }
  if (!isJsonObject(parsed))
    return { ok: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  return { ok: true, source, detailType, detail: parsed };
}

function missing(parameter: string): PutEventsEntryCheck {
  return {
    ok: false,
    errorCode: 'InvalidArgument',
    errorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
  };
}

/**
 * The size EventBridge counts for one `PutEvents` entry against the request limit: 14 bytes for
 * `Time` when set, plus the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each resource.
 * (AWS "Calculating PutEvents event entry size".)
 */
function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8Bytes(entry.Source) + utf8Bytes(entry.DetailType) + utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

function utf8Bytes(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}
