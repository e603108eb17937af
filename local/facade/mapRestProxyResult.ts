/** A REST API response ready to write. */
export interface RestHttpResponse {
  readonly statusCode: number;
  /** Header names as the function wrote them; several values where `multiValueHeaders` gave several. */
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
}

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
// The gateway frames the response itself; a function cannot dictate the connection's framing.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * Maps a function's return value to the HTTP response, per the REST API's Lambda proxy output
 * format: an object with an integer `statusCode`, optional `headers` (one value each) and
 * `multiValueHeaders` (lists; for a name in both, the lists win), a string `body` and
 * `isBase64Encoded`. Anything else (no `statusCode`, a non-string body, other keys) is a malformed
 * proxy response: undefined, which the gateway answers with `502 Internal server error`.
 *
 * The facade API declares no binary media types, so a base64 body is passed through as text, as
 * API Gateway does.
 *
 * @example
 * ```ts
 * mapRestProxyResult({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
 * // { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' }
 * mapRestProxyResult({ ok: true }); // undefined
 * ```
 */
export function mapRestProxyResult(payload: unknown): RestHttpResponse | undefined {
  if (!isRecord(payload)) return undefined;
  if (Object.keys(payload).some((key) => !ALLOWED_KEYS.has(key))) return undefined;
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = payload;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean')
    return undefined;
  const out: Record<string, string | string[]> = {};
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (!isScalar(value)) return undefined;
      if (!FRAMING_HEADERS.has(name.toLowerCase())) out[name] = String(value);
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (!isRecord(multiValueHeaders)) return undefined;
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
      if (!FRAMING_HEADERS.has(name.toLowerCase())) out[name] = values.map(String);
    }
  }
  return { statusCode, headers: out, body: typeof body === 'string' ? body : '' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
