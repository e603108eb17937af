import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';

/** An attribute value as DynamoDB's JSON wire format (and Lambda's stream events) spell it. */
export type WireAttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] }
  | { readonly M: Readonly<Record<string, WireAttributeValue>> }
  | { readonly L: readonly WireAttributeValue[] }
  | { readonly NULL: boolean }
  | { readonly BOOL: boolean };

/**
 * Converts an SDK attribute value back to the wire format Lambda puts in a stream event: the SDK
 * decodes binaries to `Uint8Array`, the event carries them base64-encoded.
 *
 * @example
 * ```ts
 * toWireAttributeValue({ B: new Uint8Array([1, 2]) }); // { B: 'AQI=' }
 * ```
 */
export function toWireAttributeValue(value: AttributeValue): WireAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toWireImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toWireAttributeValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  throw new TypeError(`Unsupported attribute value: ${JSON.stringify(value)}`);
}

/** {@link toWireAttributeValue} over a whole item (an image or a key). */
export function toWireImage(
  item: Readonly<Record<string, AttributeValue>>,
): Record<string, WireAttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toWireAttributeValue(value)]));
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
