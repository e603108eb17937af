/**
 * What an HTTP function returns. It satisfies both API Gateway shapes the runtime serves: the HTTP
 * API (payload 2.0, structured result) and the REST API proxy integration used by facades.
 */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Always a string (empty for 204) so REST API integrations accept it too. */
  readonly body: string;
}

/** Content type of every JSON body the runtime writes. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A JSON response. `cache-control: no-store` is the default because API responses carry tokens and
 * personal data; pass a `cache-control` header to allow caching (e.g. a JWKS).
 *
 * @example
 * ```ts
 * return jsonResponse(201, { userId });
 * return jsonResponse(200, jwks, { 'cache-control': 'public, max-age=300' });
 * ```
 */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store', ...lowerCaseKeys(headers) },
    body: JSON.stringify(body),
  };
}

/**
 * A response without a body, `204 No Content` by default.
 *
 * @example
 * ```ts
 * return emptyResponse(); // 204
 * ```
 */
export function emptyResponse(status = 204, headers: Readonly<Record<string, string>> = {}): HttpResult {
  return { statusCode: status, headers: { 'cache-control': 'no-store', ...headers }, body: '' };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
