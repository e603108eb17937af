/**
 * API Gateway REST API Lambda proxy integration (payload format 1.0), as the facade gateway speaks
 * it: the event it sends a quantum's `facade` function, and how it reads what the function returns.
 */

import { FACADE_STAGE } from '@quanta/runtime/manifest';
import { domainPrefixOf } from '../http/httpApiEvents';
import type { FacadeApiSpec, FacadeOperationRoute } from './FacadeGateway';
import type { LocalPrincipal } from './LocalPrincipals';

/** `requestContext.identity` of a REST API request authorized with `AWS_IAM`. */
export interface RestIamIdentity {
  readonly cognitoIdentityPoolId: null;
  readonly accountId: string;
  readonly cognitoIdentityId: null;
  readonly caller: string;
  readonly sourceIp: string;
  readonly principalOrgId: null;
  readonly accessKey: string;
  readonly cognitoAuthenticationType: null;
  readonly cognitoAuthenticationProvider: null;
  readonly userArn: string;
  readonly userAgent: string;
  readonly user: string;
}

/** The event a REST API sends a Lambda proxy integration (payload format 1.0). */
export interface RestProxyEvent {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string> | null;
  readonly multiValueHeaders: Record<string, string[]> | null;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly pathParameters: null;
  readonly stageVariables: null;
  readonly requestContext: {
    readonly resourceId: string;
    readonly resourcePath: string;
    readonly httpMethod: string;
    readonly extendedRequestId: string;
    readonly requestTime: string;
    readonly path: string;
    readonly accountId: string;
    readonly protocol: string;
    readonly stage: string;
    readonly domainPrefix: string;
    readonly requestTimeEpoch: number;
    readonly requestId: string;
    readonly identity: RestIamIdentity;
    readonly domainName: string;
    readonly deploymentId: string;
    readonly apiId: string;
  };
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

/** What the gateway read from the HTTP request and stamped on it. */
export interface FacadeRequestFacts {
  /** `requestContext.requestId` and `x-amzn-RequestId` (a UUID on REST APIs). */
  readonly requestId: string;
  /** `x-amz-apigw-id`. */
  readonly extendedRequestId: string;
  /** `X-Amzn-Trace-Id` to add when the caller sent none. */
  readonly traceId: string;
  readonly method: string;
  /** Query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Header name/value pairs in arrival order, names as sent. */
  readonly rawHeaders: readonly (readonly [string, string])[];
  readonly sourceIp: string;
  /** The `Host` the caller used. */
  readonly domainName: string;
  /** Port the gateway listens on (`X-Forwarded-Port`). */
  readonly port: number;
  readonly timeEpoch: number;
  /** `timeEpoch` in CLF (`12/Mar/2020:19:03:58 +0000`). */
  readonly time: string;
  /** UTF-8 body, or null when empty. */
  readonly body: string | null;
}

/** Stable per API; AWS's deployment ids look like this. */
const DEPLOYMENT_ID = 'lcl0v1';

/**
 * The Lambda proxy event (payload 1.0) of a facade call, as a regional REST API builds it for an
 * `AWS_IAM` method: header names as sent (`headers` keeps the last value of a repeated header,
 * `multiValueHeaders` all), `X-Forwarded-For/Port/Proto` and `X-Amzn-Trace-Id` added, query
 * parameters decoded (null when none), `path` and `resource` relative to the stage while
 * `requestContext.path` carries the stage, `identity` filled from the signer's IAM principal, and
 * the body as text (the API declares no binary media types, so `isBase64Encoded` is false).
 *
 * @example
 * ```ts
 * const event = buildRestProxyEvent(api, operation, principal, facts, '000000000000');
 * event.requestContext.identity.userArn; // 'arn:aws:sts::000000000000:assumed-role/Orders-LocalExecutionRole/quanta-orders'
 * ```
 */
export function buildRestProxyEvent(
  api: FacadeApiSpec,
  operation: FacadeOperationRoute,
  principal: LocalPrincipal,
  facts: FacadeRequestFacts,
  accountId: string,
): RestProxyEvent {
  const headers = new HeaderBag();
  for (const [name, value] of facts.rawHeaders) headers.add(name, value);
  const forwardedFor = headers.last('x-forwarded-for');
  headers.set(
    'X-Forwarded-For',
    forwardedFor === undefined ? facts.sourceIp : `${forwardedFor}, ${facts.sourceIp}`,
  );
  headers.set('X-Forwarded-Port', String(facts.port));
  headers.set('X-Forwarded-Proto', 'http');
  if (headers.last('x-amzn-trace-id') === undefined) headers.set('X-Amzn-Trace-Id', facts.traceId);

  const query = parseQuery(facts.rawQuery);
  const userAgent = headers.last('user-agent') ?? '';
  return {
    resource: operation.resourcePath,
    path: operation.resourcePath,
    httpMethod: facts.method,
    headers: headers.single(),
    multiValueHeaders: headers.multi(),
    queryStringParameters: query === undefined ? null : lastValues(query),
    multiValueQueryStringParameters: query ?? null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: operation.resourceId,
      resourcePath: operation.resourcePath,
      httpMethod: facts.method,
      extendedRequestId: facts.extendedRequestId,
      requestTime: facts.time,
      path: `/${FACADE_STAGE}${operation.resourcePath}`,
      accountId,
      protocol: 'HTTP/1.1',
      stage: FACADE_STAGE,
      domainPrefix: domainPrefixOf(facts.domainName),
      requestTimeEpoch: facts.timeEpoch,
      requestId: facts.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: principal.accountId,
        cognitoIdentityId: null,
        caller: principal.caller,
        sourceIp: facts.sourceIp,
        principalOrgId: null,
        accessKey: principal.credentials.accessKeyId,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: principal.userArn,
        userAgent,
        user: principal.caller,
      },
      domainName: facts.domainName,
      deploymentId: DEPLOYMENT_ID,
      apiId: api.apiId,
    },
    body: facts.body,
    isBase64Encoded: false,
  };
}

/** Headers keyed case-insensitively, reported under the first spelling seen. */
class HeaderBag {
  readonly #entries = new Map<string, { name: string; values: string[] }>();

  add(name: string, value: string): void {
    const key = name.toLowerCase();
    const entry = this.#entries.get(key);
    if (entry === undefined) this.#entries.set(key, { name, values: [value] });
    else entry.values.push(value);
  }

  /** Replaces every value of `name` (API Gateway overwrites the forwarding headers). */
  set(name: string, value: string): void {
    const key = name.toLowerCase();
    const entry = this.#entries.get(key);
    this.#entries.set(key, { name: entry?.name ?? name, values: [value] });
  }

  last(name: string): string | undefined {
    return this.#entries.get(name.toLowerCase())?.values.at(-1);
  }

  single(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, values } of this.#entries.values()) out[name] = values.at(-1) as string;
    return out;
  }

  multi(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const { name, values } of this.#entries.values()) out[name] = [...values];
    return out;
  }
}

function parseQuery(raw: string): Record<string, string[]> | undefined {
  let params: Record<string, string[]> | undefined;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    params ??= {};
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const values = params[name];
    if (values === undefined) params[name] = [value];
    else values.push(value);
  }
  return params;
}

function lastValues(multi: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.at(-1) as string]));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

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
