/** What a SigV4 canonical request is built from, as the server received it. */
export interface SignedRequestParts {
  /** Method as sent (`POST`). */
  readonly method: string;
  /** Path as sent, still percent-encoded (`/orders/v1/ops/GetProducts`). */
  readonly rawPath: string;
  /** Query string as sent, without `?` (empty when none). */
  readonly rawQuery: string;
  /** Every header value in arrival order, by lower-case name. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Lower-case names listed in `SignedHeaders`, in that order. */
  readonly signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the body as received. */
  readonly payloadHash: string;
}

/**
 * The SigV4 canonical request of a received request (the AWS General Reference, "Create a canonical
 * request for Signature Version 4"): method, canonical URI (path normalized, empty segments dropped,
 * each segment URI-encoded again as every service but S3 requires), canonical query string (sorted
 * by name then value, RFC 3986 encoding), canonical headers (signed ones only, values trimmed,
 * inner whitespace collapsed, repeats joined with `,`), the signed header list and the payload hash.
 *
 * @example
 * ```ts
 * canonicalRequestOf({ method: 'POST', rawPath: '/orders/v1/ops/GetProducts', rawQuery: '', headers, signedHeaders: ['host', 'x-amz-date'], payloadHash });
 * // 'POST\n/orders/v1/ops/GetProducts\n\nhost:127.0.0.1:3002\nx-amz-date:20240101T000000Z\n\nhost;x-amz-date\n44136f…'
 * ```
 */
export function canonicalRequestOf(parts: SignedRequestParts): string {
  const headerLines = parts.signedHeaders.map(
    (name) => `${name}:${(parts.headers.get(name) ?? []).map(canonicalHeaderValue).join(',')}`,
  );
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.rawQuery),
    ...headerLines,
    '',
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  // The client encoded the path once to send it; the canonical URI encodes it once more.
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : percentDecode(pair.slice(eq + 1));
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** RFC 3986 encoding: everything but unreserved characters, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Byte-order comparison (SigV4 sorts by code point, not by locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
