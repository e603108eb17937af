/**
 * A request header by name, case-insensitively: HTTP APIs lower-case header names, REST APIs keep
 * the client's spelling, and the runtime serves both.
 *
 * @example
 * ```ts
 * headerOf(event.headers, 'Content-Type'); // 'application/json'
 * ```
 */
export function headerOf(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  name: string,
): string | undefined {
  if (headers === null || headers === undefined) return undefined;
  const exact = headers[name] ?? headers[name.toLowerCase()];
  if (exact !== undefined) return exact;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
