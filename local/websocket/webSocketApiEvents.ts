/**
 * API Gateway WebSocket API events, as the local gateway speaks them: the upgrade request it
 * captures once per connection, the `$connect` REQUEST authorizer event, and the Lambda proxy
 * integration events of `$connect`, messages and `$disconnect`.
 */
import type { IncomingMessage } from 'node:http';
import { clientAddress, queryPairsOf } from '../http/GatewayRequest';

/** The identity of the emulated WebSocket API: what AWS reports in `requestContext` and in ARNs. */
export interface WebSocketApiContext {
  /** Account that owns the API, e.g. `000000000000`. */
  readonly accountId: string;
  readonly region: string;
  /** API id, the first label of `{apiId}.execute-api.{region}.amazonaws.com`. */
  readonly apiId: string;
  /** The stage clients connect to, e.g. `live`. */
  readonly stage: string;
}

/**
 * What API Gateway keeps of a connection's upgrade request. Header names keep the client's casing
 * (WebSocket events are not lower-cased, unlike HTTP API payload 2.0); `headers` holds the last value
 * of a repeated header, `multiValueHeaders` every value.
 */
export interface UpgradeRequest {
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  /** Decoded; the last value of a repeated name; undefined when there is no query string. */
  readonly queryStringParameters: Record<string, string> | undefined;
  readonly multiValueQueryStringParameters: Record<string, string[]> | undefined;
  readonly sourceIp: string;
  /** The `User-Agent` header, when the client sent one. */
  readonly userAgent: string | undefined;
  /** The host the client called (`Host` header), as with a custom domain. */
  readonly domainName: string;
}

/** Per-request values the gateway supplies (injected so tests control ids and time). */
export interface UpgradeStamp {
  /** Port the gateway listens on, reported in `X-Forwarded-Port`. */
  readonly port: number;
  /** Called only when the client sent no `X-Amzn-Trace-Id`. */
  readonly traceId: () => string;
  /** Used as `domainName` when the request has no `Host` header. */
  readonly defaultDomainName: string;
}

/**
 * Captures an upgrade request the way API Gateway presents it to the authorizer and to `$connect`:
 * headers in the client's casing, with the `X-Forwarded-*` and `X-Amzn-Trace-Id` headers it adds,
 * and the query string decoded into single- and multi-value maps.
 *
 * @example
 * ```ts
 * const upgrade = readUpgradeRequest(req, { port: 3003, traceId, defaultDomainName });
 * upgrade.queryStringParameters?.ticket; // 'tk-123' for ws://127.0.0.1:3003/live?ticket=tk-123
 * ```
 */
export function readUpgradeRequest(req: IncomingMessage, stamp: UpgradeStamp): UpgradeRequest {
  const byLowerName = new Map<string, { name: string; values: string[] }>();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    const entry = byLowerName.get(lower);
    if (entry === undefined) byLowerName.set(lower, { name, values: [raw[i + 1] as string] });
    else entry.values.push(raw[i + 1] as string);
  }
  const sourceIp = clientAddress(req.socket.remoteAddress);
  const forwardedFor = byLowerName.get('x-forwarded-for');
  const forwarded = forwardedFor === undefined ? sourceIp : `${forwardedFor.values.join(', ')}, ${sourceIp}`;
  // API Gateway sets these; a client cannot claim another client address, port or protocol.
  byLowerName.set('x-forwarded-for', { name: forwardedFor?.name ?? 'X-Forwarded-For', values: [forwarded] });
  setHeader(byLowerName, 'X-Forwarded-Port', String(stamp.port));
  setHeader(byLowerName, 'X-Forwarded-Proto', 'http');
  if (!byLowerName.has('x-amzn-trace-id')) setHeader(byLowerName, 'X-Amzn-Trace-Id', stamp.traceId());

  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const { name, values } of byLowerName.values()) {
    headers[name] = values.at(-1) as string;
    multiValueHeaders[name] = values;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const query = q === -1 ? undefined : parseQuery(url.slice(q + 1));
  return {
    headers,
    multiValueHeaders,
    queryStringParameters: query?.single,
    multiValueQueryStringParameters: query?.multi,
    sourceIp,
    userAgent: byLowerName.get('user-agent')?.values.at(-1),
    domainName: byLowerName.get('host')?.values.at(-1) ?? stamp.defaultDomainName,
  };
}

function setHeader(
  headers: Map<string, { name: string; values: string[] }>,
  name: string,
  value: string,
): void {
  const lower = name.toLowerCase();
  headers.set(lower, { name: headers.get(lower)?.name ?? name, values: [value] });
}

function parseQuery(
  raw: string,
): { single: Record<string, string>; multi: Record<string, string[]> } | undefined {
  let single: Record<string, string> | undefined;
  let multi: Record<string, string[]> | undefined;
  for (const [name, value] of queryPairsOf(raw)) {
    single ??= {};
    multi ??= {};
    single[name] = value;
    const values = multi[name];
    if (values === undefined) multi[name] = [value];
    else values.push(value);
  }
  return single === undefined || multi === undefined ? undefined : { single, multi };
}

/** `requestContext.identity` of every event of a connection. */
export interface WebSocketIdentity {
  readonly sourceIp: string;
  readonly userAgent?: string;
}

/**
 * What a `$connect` authorizer's allow puts under `requestContext.authorizer` of every later event
 * of the connection: its `context` with values stringified (`null` stays `null`), its `principalId`,
 * and how long it ran.
 */
export type WebSocketAuthorizerContext = Readonly<Record<string, string | number | null>> & {
  readonly principalId: string;
  readonly integrationLatency: number;
};

/** What every event of one connection shares. */
export interface ConnectionFacts {
  readonly connectionId: string;
  /** Epoch milliseconds of the upgrade request. */
  readonly connectedAt: number;
  readonly identity: WebSocketIdentity;
  readonly domainName: string;
  /** Present when the `$connect` authorizer allowed the connection. */
  readonly authorizer?: WebSocketAuthorizerContext;
}

/** The id and time of one event (`requestId` doubles as `extendedRequestId`, as on AWS). */
export interface EventStamp {
  readonly requestId: string;
  readonly requestTimeEpoch: number;
  /** `requestTimeEpoch` in CLF, `12/Mar/2020:19:03:58 +0000`. */
  readonly requestTime: string;
}

/** `requestContext` of a WebSocket API event. */
export interface WebSocketRequestContext {
  readonly routeKey: string;
  /** MESSAGE events only. */
  readonly messageId?: string;
  readonly eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  readonly extendedRequestId: string;
  readonly requestTime: string;
  readonly messageDirection: 'IN';
  /** DISCONNECT events only: the close code. */
  readonly disconnectStatusCode?: number;
  /** DISCONNECT events only: the close reason. */
  readonly disconnectReason?: string;
  readonly stage: string;
  readonly connectedAt: number;
  readonly requestTimeEpoch: number;
  readonly identity: WebSocketIdentity;
  readonly requestId: string;
  readonly domainName: string;
  readonly connectionId: string;
  readonly apiId: string;
  /** Every event after a `$connect` the authorizer allowed. */
  readonly authorizer?: WebSocketAuthorizerContext;
}

/** The event a Lambda proxy integration of a WebSocket route receives. */
export interface WebSocketEvent {
  /** CONNECT and DISCONNECT events only. */
  readonly headers?: Record<string, string>;
  readonly multiValueHeaders?: Record<string, string[]>;
  /** CONNECT events with a query string only. */
  readonly queryStringParameters?: Record<string, string>;
  readonly multiValueQueryStringParameters?: Record<string, string[]>;
  readonly requestContext: WebSocketRequestContext;
  /** MESSAGE events only: the message, as text. */
  readonly body?: string;
  readonly isBase64Encoded: false;
}

/** The event the `$connect` REQUEST Lambda authorizer receives. */
export interface WebSocketAuthorizerEvent {
  readonly type: 'REQUEST';
  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect` */
  readonly methodArn: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly stageVariables: Record<string, string>;
  readonly requestContext: WebSocketRequestContext;
  /** Not in AWS's documented example; Powertools' `APIGatewayProxyWebsocketEventSchema` requires it. */
  readonly isBase64Encoded: false;
}

/**
 * The ARN the `$connect` authorizer's policy must allow.
 *
 * @example
 * ```ts
 * connectMethodArnOf({ region: 'us-east-1', accountId: '000000000000', apiId: 'quantaws', stage: 'live' });
 * // 'arn:aws:execute-api:us-east-1:000000000000:quantaws/live/$connect'
 * ```
 */
export function connectMethodArnOf(api: WebSocketApiContext): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/$connect`;
}

function requestContextOf(
  api: WebSocketApiContext,
  facts: ConnectionFacts,
  routeKey: string,
  eventType: WebSocketRequestContext['eventType'],
  stamp: EventStamp,
  extra: Pick<WebSocketRequestContext, 'messageId' | 'disconnectStatusCode' | 'disconnectReason'> = {},
): WebSocketRequestContext {
  return {
    routeKey,
    ...(extra.messageId === undefined ? {} : { messageId: extra.messageId }),
    eventType,
    extendedRequestId: stamp.requestId,
    requestTime: stamp.requestTime,
    messageDirection: 'IN',
    ...(extra.disconnectStatusCode === undefined
      ? {}
      : { disconnectStatusCode: extra.disconnectStatusCode, disconnectReason: extra.disconnectReason ?? '' }),
    stage: api.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: stamp.requestTimeEpoch,
    identity: facts.identity,
    requestId: stamp.requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: api.apiId,
    ...(facts.authorizer === undefined ? {} : { authorizer: facts.authorizer }),
  };
}

/**
 * The `$connect` REQUEST authorizer's event: the upgrade request's headers and query string,
 * `methodArn`, and a CONNECT `requestContext` with the connection id the connection will have.
 *
 * @example
 * ```ts
 * const event = buildAuthorizerEvent(api, upgrade, facts, stamp);
 * event.queryStringParameters?.ticket; // the identity source
 * ```
 */
export function buildAuthorizerEvent(
  api: WebSocketApiContext,
  upgrade: UpgradeRequest,
  facts: ConnectionFacts,
  stamp: EventStamp,
): WebSocketAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: connectMethodArnOf(api),
    headers: upgrade.headers,
    multiValueHeaders: upgrade.multiValueHeaders,
    queryStringParameters: upgrade.queryStringParameters ?? null,
    multiValueQueryStringParameters: upgrade.multiValueQueryStringParameters ?? null,
    stageVariables: {},
    requestContext: requestContextOf(api, { ...facts, authorizer: undefined }, '$connect', 'CONNECT', stamp),
    isBase64Encoded: false,
  };
}

// Hop-by-hop headers of the handshake: the authorizer sees them, the `$connect` integration does not.
const HANDSHAKE_ONLY = new Set(['connection', 'upgrade', 'content-length']);

/**
 * The `$connect` route's event: the upgrade request (minus its hop-by-hop headers), and, when the
 * authorizer allowed it, `requestContext.authorizer`.
 *
 * @example
 * ```ts
 * buildConnectEvent(api, upgrade, facts, stamp).requestContext.authorizer?.principalId; // 'u-1'
 * ```
 */
export function buildConnectEvent(
  api: WebSocketApiContext,
  upgrade: UpgradeRequest,
  facts: ConnectionFacts,
  stamp: EventStamp,
): WebSocketEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const name of Object.keys(upgrade.headers)) {
    if (HANDSHAKE_ONLY.has(name.toLowerCase())) continue;
    headers[name] = upgrade.headers[name] as string;
    multiValueHeaders[name] = upgrade.multiValueHeaders[name] as string[];
  }
  return {
    headers,
    multiValueHeaders,
    ...(upgrade.queryStringParameters === undefined
      ? {}
      : {
          queryStringParameters: upgrade.queryStringParameters,
          multiValueQueryStringParameters: upgrade.multiValueQueryStringParameters,
        }),
    requestContext: requestContextOf(api, facts, '$connect', 'CONNECT', stamp),
    isBase64Encoded: false,
  };
}

/**
 * The event of a message routed to `routeKey`: the message as `body`, nothing of the handshake but
 * the connection's identity and authorizer context.
 *
 * @example
 * ```ts
 * buildMessageEvent(api, facts, 'send', '{"action":"send","text":"hi"}', 'bXNnLWlkLTAwMQ=', stamp).body;
 * ```
 */
export function buildMessageEvent(
  api: WebSocketApiContext,
  facts: ConnectionFacts,
  routeKey: string,
  body: string,
  messageId: string,
  stamp: EventStamp,
): WebSocketEvent {
  return {
    requestContext: requestContextOf(api, facts, routeKey, 'MESSAGE', stamp, { messageId }),
    body,
    isBase64Encoded: false,
  };
}

/** Why a connection closed, as `$disconnect` reports it. */
export interface DisconnectCause {
  /** The close code, e.g. `1000`, `1001` (idle or too old), `1005` (client sent none), `1009` (too big). */
  readonly statusCode: number;
  readonly reason: string;
}

/**
 * The `$disconnect` route's event: the close code and reason, `Host` and `X-Forwarded-For` only.
 *
 * @example
 * ```ts
 * buildDisconnectEvent(api, facts, { statusCode: 1001, reason: 'Going away' }, stamp)
 *   .requestContext.disconnectStatusCode; // 1001
 * ```
 */
export function buildDisconnectEvent(
  api: WebSocketApiContext,
  facts: ConnectionFacts,
  cause: DisconnectCause,
  stamp: EventStamp,
): WebSocketEvent {
  return {
    headers: { Host: facts.domainName, 'X-Forwarded-For': facts.identity.sourceIp },
    multiValueHeaders: { Host: [facts.domainName], 'X-Forwarded-For': [facts.identity.sourceIp] },
    requestContext: requestContextOf(api, facts, '$disconnect', 'DISCONNECT', stamp, {
      disconnectStatusCode: cause.statusCode,
      disconnectReason: cause.reason,
    }),
    isBase64Encoded: false,
  };
}
