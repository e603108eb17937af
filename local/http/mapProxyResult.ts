/** An HTTP response ready to write: what the client receives. */
export interface GatewayHttpResponse {
  readonly statusCode: number;
  /** `set-cookie` may hold several values; every other header one. */
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Buffer;
}

// The gateway frames the response itself; a function cannot dictate the connection's framing.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * Maps a function's return value to the HTTP response, per payload format 2.0:
 * - an object with a `statusCode` is a structured response (`statusCode`, `headers`, `cookies`,
 *   `body`, `isBase64Encoded`); each cookie becomes a `set-cookie` header (before any `set-cookie`
 *   the function put in `headers`), and a base64 body is decoded;
 * - anything else is inferred: status 200, `content-type: application/json`, and the value itself
 *   as the body (a string as is, anything else as JSON).
 *
 * Returns undefined for a malformed structured response, which API Gateway answers with
 * `500 {"message":"Internal Server Error"}`.
 *
 * @example
 * ```ts
 * mapProxyResult({ statusCode: 201, body: '{"id":"1"}' }); // { statusCode: 201, headers: {}, body: '{"id":"1"}' }
 * mapProxyResult({ id: '1' }); // { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"1"}' }
 * ```
 */
export function mapProxyResult(payload: unknown): GatewayHttpResponse | undefined {
  if (!isRecord(payload) || payload.statusCode === undefined) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? 'null'),
    };
  }
  const { statusCode, headers, cookies, body, isBase64Encoded } = payload;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return undefined;
  }
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const out: Record<string, string | string[]> = {};
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return undefined;
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return undefined;
      const lower = name.toLowerCase();
      if (!FRAMING_HEADERS.has(lower)) out[lower] = String(value);
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) return undefined;
    if (cookies.length > 0) {
      const fromHeaders = out['set-cookie'];
      out['set-cookie'] = fromHeaders === undefined ? [...cookies] : [...cookies, fromHeaders as string];
    }
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers: out,
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : text,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
