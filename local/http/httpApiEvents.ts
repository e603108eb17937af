/**
 * API Gateway HTTP API payload format 2.0, as the local gateway speaks it: the events it sends the
 * integration and the Lambda authorizer, and how it reads what they return.
 */
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import type { GatewayRequest } from './GatewayRequest';
import type { RouteMatch } from './RouteTable';

/** The identity of the emulated HTTP API: what AWS reports in `requestContext` and in route ARNs. */
export interface ApiContext {
  /** Account that owns the API, e.g. `000000000000`. */
  readonly accountId: string;
  /** API id, the first label of `{apiId}.execute-api.{region}.amazonaws.com`. */
  readonly apiId: string;
  readonly region: string;
}

/** The only stage the platform deploys: HTTP API's auto-deployed `$default` stage. */
const DEFAULT_STAGE = '$default';

/**
 * The `requestContext` of payload format 2.0 (integration and authorizer events alike), without
 * `authorizer`: only the gateway adds that, after its authorizer allowed the request.
 *
 * @example
 * ```ts
 * requestContextOf(request, 'ANY /identity/{proxy+}', api).stage; // '$default'
 * ```
 */
function requestContextOf(
  request: GatewayRequest,
  routeKey: string,
  api: ApiContext,
): APIGatewayEventRequestContextV2 {
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: request.domainName,
    domainPrefix: domainPrefixOf(request.domainName),
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    },
    requestId: request.requestId,
    routeKey,
    stage: DEFAULT_STAGE,
    time: request.time,
    timeEpoch: request.timeEpoch,
  };
}

/**
 * `requestContext.domainPrefix`: the first label of the host name, port dropped.
 *
 * @example
 * ```ts
 * domainPrefixOf('abc123.execute-api.eu-west-1.amazonaws.com:443'); // 'abc123'
 * ```
 */
export function domainPrefixOf(domainName: string): string {
  const host = domainName.startsWith('[') ? domainName : (domainName.split(':')[0] ?? domainName);
  const dot = host.indexOf('.');
  return dot === -1 ? host : host.slice(0, dot);
}

/** A request body as payload format 2.0 carries it. */
export interface RequestBody {
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

/**
 * Encodes a request body like HTTP APIs do: as a UTF-8 string for `text/*`, `application/json`,
 * `application/xml` and `application/javascript`; base64 for anything else, including a missing
 * `Content-Type` and `application/x-www-form-urlencoded`. Undefined for an empty body (AWS omits
 * the `body` field).
 *
 * @example
 * ```ts
 * requestBodyOf(Buffer.from('{"a":1}'), 'application/json; charset=utf-8'); // { body: '{"a":1}', isBase64Encoded: false }
 * requestBodyOf(Buffer.from([0xff]), 'image/png'); // { body: '/w==', isBase64Encoded: true }
 * ```
 */
export function requestBodyOf(bytes: Buffer, contentType: string | undefined): RequestBody | undefined {
  if (bytes.length === 0) return undefined;
  return isTextType(contentType)
    ? { body: bytes.toString('utf8'), isBase64Encoded: false }
    : { body: bytes.toString('base64'), isBase64Encoded: true };
}

function isTextType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const mediaType = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return mediaType.startsWith('text/') || TEXT_TYPES.has(mediaType);
}

/** What a Lambda authorizer's simple response put under `requestContext.authorizer`. */
export interface LambdaAuthorizerContext {
  /** The authorizer's `context`, or null when it returned none. */
  readonly lambda: Record<string, unknown> | null;
}

/** Payload format 2.0 event; `authorizer` is present only on routes guarded by the Lambda authorizer. */
export type ProxyEventV2 = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: LambdaAuthorizerContext }
>;

/**
 * The event API Gateway sends a Lambda proxy integration with payload format 2.0. Optional fields
 * are omitted, not null, when empty, as AWS does (strict parsers such as Powertools' reject null).
 *
 * @example
 * ```ts
 * const event = buildProxyEvent(request, match, api, body, { lambda: { userId: 'u1' } });
 * event.requestContext.authorizer?.lambda; // { userId: 'u1' }
 * ```
 */
export function buildProxyEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiContext,
  body: RequestBody | undefined,
  authorizer: LambdaAuthorizerContext | undefined,
): ProxyEventV2 {
  const requestContext: ProxyEventV2['requestContext'] = requestContextOf(request, match.route.routeKey, api);
  if (authorizer !== undefined) requestContext.authorizer = authorizer;
  const event: ProxyEventV2 = {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    requestContext,
    isBase64Encoded: false,
  };
  if (request.cookies !== undefined) event.cookies = request.cookies;
  if (request.queryStringParameters !== undefined)
    event.queryStringParameters = request.queryStringParameters;
  if (body !== undefined) {
    event.body = body.body;
    event.isBase64Encoded = body.isBase64Encoded;
  }
  if (match.pathParameters !== undefined) event.pathParameters = match.pathParameters;
  return event;
}

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

/**
 * Authorizer event, payload format 2.0. `@types/aws-lambda` declares `cookies` required; AWS omits
 * it when the request has no cookies.
 */
export type AuthorizerEventV2 = Omit<APIGatewayRequestAuthorizerEventV2, 'cookies'> & { cookies?: string[] };

/**
 * The event API Gateway sends a REQUEST Lambda authorizer with payload format 2.0: the request
 * (no body) plus `type`, the `routeArn` being called and the `identitySource` values.
 *
 * @example
 * ```ts
 * buildAuthorizerEvent(request, match, api, ['Bearer eyJ...']).routeArn;
 * // 'arn:aws:execute-api:us-east-1:000000000000:quantalocal/$default/GET/identity/me'
 * ```
 */
export function buildAuthorizerEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiContext,
  identitySource: string[],
): AuthorizerEventV2 {
  const event: AuthorizerEventV2 = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${DEFAULT_STAGE}/${request.method}${request.rawPath}`,
    identitySource,
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    requestContext: requestContextOf(request, match.route.routeKey, api),
  };
  if (request.cookies !== undefined) event.cookies = request.cookies;
  if (request.queryStringParameters !== undefined)
    event.queryStringParameters = request.queryStringParameters;
  if (match.pathParameters !== undefined) event.pathParameters = match.pathParameters;
  return event;
}

/** A valid simple response of a Lambda authorizer (payload format 2.0). */
export interface SimpleAuthorizerResponse {
  readonly isAuthorized: boolean;
  /** The `context`, or null when the authorizer returned none. */
  readonly context: Record<string, unknown> | null;
}

/**
 * Validates a Lambda authorizer's simple response, `{ isAuthorized: boolean, context?: object }`.
 * Undefined when it is malformed (not an object, `isAuthorized` not a boolean, `context` not an
 * object), which API Gateway answers with `500 {"message":"Internal Server Error"}`.
 *
 * @example
 * ```ts
 * parseSimpleResponse({ isAuthorized: true, context: { userId: 'u1' } }); // { isAuthorized: true, context: { userId: 'u1' } }
 * parseSimpleResponse({ isAuthorized: 'yes' }); // undefined
 * ```
 */
export function parseSimpleResponse(payload: unknown): SimpleAuthorizerResponse | undefined {
  if (!isRecord(payload) || typeof payload.isAuthorized !== 'boolean') return undefined;
  const { context } = payload;
  if (context === undefined || context === null) return { isAuthorized: payload.isAuthorized, context: null };
  if (!isRecord(context)) return undefined;
  return { isAuthorized: payload.isAuthorized, context };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
