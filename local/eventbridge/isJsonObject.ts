/** A JSON object (not an array, not null), as `JSON.parse` produces it. */
export type JsonObject = Record<string, unknown>;

/** True when `value` is a JSON object: patterns and events are only ever objects at their root. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
