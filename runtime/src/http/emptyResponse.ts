import type { HttpResult } from './HttpResult';

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
