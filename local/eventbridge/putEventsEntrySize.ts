import { Buffer } from 'node:buffer';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/**
 * The size EventBridge counts for one `PutEvents` entry against the request limit: 14 bytes for
 * `Time` when set, plus the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each resource.
 * (AWS "Calculating PutEvents event entry size".)
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8Bytes(entry.Source) + utf8Bytes(entry.DetailType) + utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

function utf8Bytes(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}
