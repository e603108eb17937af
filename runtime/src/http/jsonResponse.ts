import type { HttpResult } from './HttpResult';

/** Content type of every JSON body the runtime writes. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

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

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
