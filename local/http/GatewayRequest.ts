import type { IncomingMessage } from 'node:http';

/**
 * What API Gateway knows about a request before routing it, captured once and shared by the
 * authorizer event and the integration event (they carry the same request id, headers and time).
 */
export interface GatewayRequest {
  readonly requestId: string;
  readonly method: string;
  /** Path as sent, still percent-encoded. */
  readonly rawPath: string;
  /** Query string as sent, without `?`; empty when there is none. */
  readonly rawQueryString: string;
  /** Lower-cased names; repeated headers joined with commas; `cookie` moved to {@link cookies}. */
  readonly headers: Record<string, string>;
  /** Each cookie of every `Cookie` header; undefined when there are none (AWS omits the field). */
  readonly cookies: string[] | undefined;
  /** Decoded; repeated names joined with commas; undefined when there is no query string. */
  readonly queryStringParameters: Record<string, string> | undefined;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The host the client called (`Host` header), as with a custom domain. */
  readonly domainName: string;
  readonly timeEpoch: number;
  /** `timeEpoch` in CLF, `12/Mar/2020:19:03:58 +0000`. */
  readonly time: string;
}

/** Per-request values the gateway supplies (injected so tests control ids and time). */
export interface RequestStamp {
  readonly requestId: string;
  readonly timeEpoch: number;
  readonly time: string;
  /** Called only when the client sent no `x-amzn-trace-id`. */
  readonly traceId: () => string;
  /** Port the gateway listens on, reported in `x-forwarded-port`. */
  readonly port: number;
  /** Used as `domainName` when the request has no `Host` header. */
  readonly defaultDomainName: string;
}

/**
 * Captures `req` the way API Gateway presents it to Lambda in payload format 2.0: header names
 * lower-cased and repeats joined with `,`, cookies split out of the headers, the query string
 * decoded, and the `x-forwarded-*` headers API Gateway sets.
 *
 * @example
 * ```ts
 * const request = readGatewayRequest(req, { requestId, timeEpoch, time, traceId, port: 3000, defaultDomainName });
 * request.headers['x-forwarded-for']; // '127.0.0.1'
 * ```
 */
export function readGatewayRequest(req: IncomingMessage, stamp: RequestStamp): GatewayRequest {
  const target = requestTarget(req.url ?? '/');
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQueryString = q === -1 ? '' : target.slice(q + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (name === 'cookie') {
      cookies = splitCookies(value, cookies);
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }

  const sourceIp = clientAddress(req.socket.remoteAddress);
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`;
  // API Gateway overwrites these two: a client cannot claim another port or protocol.
  headers['x-forwarded-port'] = String(stamp.port);
  headers['x-forwarded-proto'] = 'http';
  if (headers['x-amzn-trace-id'] === undefined) headers['x-amzn-trace-id'] = stamp.traceId();

  return {
    requestId: stamp.requestId,
    method: req.method ?? 'GET',
    rawPath,
    rawQueryString,
    headers,
    cookies,
    queryStringParameters: rawQueryString === '' ? undefined : parseQuery(rawQueryString),
    sourceIp,
    userAgent: headers['user-agent'] ?? '',
    domainName: headers.host ?? stamp.defaultDomainName,
    timeEpoch: stamp.timeEpoch,
    time: stamp.time,
  };
}

/** Origin-form target of a request line; absolute-form (`http://host/path`) is reduced to it. */
function requestTarget(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function splitCookies(header: string, into: string[] | undefined): string[] {
  const list = into ?? [];
  for (const part of header.split(';')) {
    const cookie = part.trim();
    if (cookie !== '') list.push(cookie);
  }
  return list;
}

function parseQuery(raw: string): Record<string, string> | undefined {
  let params: Record<string, string> | undefined;
  for (const [name, value] of queryPairsOf(raw)) {
    params ??= {};
    const previous = params[name];
    params[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return params;
}

/**
 * The decoded `name=value` pairs of a raw query string, in order, as API Gateway reads them: `+` is
 * a space, a malformed `%` escape is kept as typed, a pair without a name is dropped.
 *
 * @example
 * ```ts
 * [...queryPairsOf('a=1&b=x+y&a=2')]; // [['a', '1'], ['b', 'x y'], ['a', '2']]
 * ```
 */
export function* queryPairsOf(raw: string): Generator<[string, string]> {
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    yield [name, eq === -1 ? '' : decodeQueryComponent(pair.slice(eq + 1))];
  }
}

function decodeQueryComponent(text: string): string {
  const plain = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!plain.includes('%')) return plain;
  try {
    return decodeURIComponent(plain);
  } catch {
    return plain;
  }
}

/**
 * The client's address as API Gateway reports it (`sourceIp`): Node reports IPv4 peers of a
 * dual-stack socket as `::ffff:a.b.c.d`, AWS as `a.b.c.d`.
 *
 * @example
 * ```ts
 * clientAddress('::ffff:127.0.0.1'); // '127.0.0.1'
 * ```
 */
export function clientAddress(address: string | undefined): string {
  if (address === undefined) return '127.0.0.1';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
