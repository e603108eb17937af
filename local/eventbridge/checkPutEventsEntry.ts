import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { JsonObject } from './isJsonObject';
import { isJsonObject } from './isJsonObject';

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
