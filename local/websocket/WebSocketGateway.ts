import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type GatewayKind, listen, requireInteger } from '../http/GatewayServer';
import { DEADLINE_PASSED, invokeWithDeadline } from '../http/invokeWithDeadline';
import { RandomRequestIds, type RequestIdSource, requestTimeFormatter } from '../http/RequestIds';
import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import { type ConnectionPush, ConnectionsApi, type ManagedConnection } from './ConnectionsApi';
import { WebSocketConfigurationError, WebSocketStateError } from './errors';
import { WebSocketAuthorizer } from './WebSocketAuthorizer';
import { type WebSocketRoute, WebSocketRouteTable } from './WebSocketRouteTable';
import {
  buildAuthorizerEvent,
  buildConnectEvent,
  buildDisconnectEvent,
  buildMessageEvent,
  type ConnectionFacts,
  type DisconnectCause,
  type EventStamp,
  readUpgradeRequest,
  type WebSocketApiContext,
  type WebSocketEvent,
  type WebSocketIdentity,
} from './webSocketApiEvents';

/** Why the gateway refused a handshake or failed an event (AWS writes this to execution logs). */
export interface WebSocketGatewayReport {
  readonly requestId: string;
  readonly connectionId: string;
  /** `$connect`, `$disconnect`, or the route a message went to. */
  readonly routeKey: string;
  /** The status the handshake was answered with, for `$connect` failures. */
  readonly statusCode?: number;
  readonly reason: string;
}

/** Options of {@link WebSocketGateway}. */
export interface WebSocketGatewayOptions {
  /** The API's routes (`$connect`, `$disconnect`, `$default`, client actions). */
  readonly routes: readonly WebSocketRoute[];
  /**
   * Function id of the `$connect` REQUEST authorizer (identity source
   * `route.request.querystring.ticket`). @default none: `$connect` is open
   */
  readonly authorizerFunctionId?: string;
  /** Runs the authorizer and the routes' functions. */
  readonly invoker: FunctionInvoker;
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Used in the method ARN and the default domain name. @default 'us-east-1' */
  readonly region?: string;
  /** Used in the method ARN. @default '000000000000' */
  readonly accountId?: string;
  /** Reported as `requestContext.apiId`. @default 'quantaws' */
  readonly apiId?: string;
  /** The stage: clients connect to `/{stage}`, the management API is `/{stage}/@connections`. @default 'live' */
  readonly stage?: string;
  /** Largest message a client may send; a larger one closes the connection with 1009. @default 32768 (AWS's frame quota) */
  readonly maxFrameBytes?: number;
  /** Largest `@connections` POST payload; a larger one gets 413. @default 131072 (AWS's message quota) */
  readonly maxMessageBytes?: number;
  /** A connection the client sends nothing on for this long is closed with 1001. @default 600000 (10 min) */
  readonly idleTimeoutMs?: number;
  /** A connection open this long is closed with 1001. @default 7200000 (2 h) */
  readonly maxConnectionMs?: number;
  /** How long the gateway waits for a route's function, 50 to 29000. @default 29000 */
  readonly integrationTimeoutMs?: number;
  /** How long the gateway waits for the authorizer before answering 500. @default 10000 */
  readonly authorizerTimeoutMs?: number;
  /** Clock in epoch milliseconds (event times, `connectedAt`, `lastActiveAt`). @default Date.now */
  readonly now?: () => number;
  /** Connection, request and trace ids. @default random, AWS-shaped */
  readonly ids?: RequestIdSource;
  /** Called with the reason of every refused handshake and failed integration. @default ignore */
  readonly onError?: (report: WebSocketGatewayReport) => void;
  /** Told about each `@connections` POST (the developer console). @default none */
  readonly onPush?: (push: ConnectionPush) => void;
}

/** The limits a connection enforces. */
interface ConnectionLimits {
  readonly maxFrameBytes: number;
  readonly idleTimeoutMs: number;
  readonly maxConnectionMs: number;
}

const WEBSOCKET_GATEWAY: GatewayKind = {
  name: 'WebSocket gateway',
  defaultPort: 0,
  configurationError: (message) => new WebSocketConfigurationError(message),
  alreadyStarted: (url) => new WebSocketStateError(`WebSocket gateway is already started at ${url}`),
  listenError: (message, cause) => new WebSocketStateError(message, { cause }),
};

const GOING_AWAY: DisconnectCause = { statusCode: 1001, reason: 'Going away' };
const DELETED: DisconnectCause = { statusCode: 1000, reason: '' };
const BINARY_FRAME: DisconnectCause = { statusCode: 1003, reason: 'Binary frames are not supported' };
/** How long `stop()` lets clients answer its close frame before it cuts their sockets. */
const STOP_GRACE_MS = 250;

const json = (message: string): string => JSON.stringify({ message });

/**
 * The local cloud's API Gateway WebSocket API, on a `node:http` server with `ws`:
 * - handshake at `/{stage}` (or `/`): the `$connect` REQUEST authorizer (ticket in the query string;
 *   missing → 401 without invoking it; Deny → 403; error → 500), then the `$connect` route, whose
 *   non-2xx answer refuses the handshake with that status;
 * - messages routed by `$request.body.action` to a custom route or `$default` (none →
 *   `{"message":"Forbidden",…}`), each a Lambda proxy invocation whose `body` is sent back (route
 *   response); binary frames close with 1003, messages over `maxFrameBytes` with 1009;
 * - `$disconnect` on every close (best effort), idle and maximum-duration closes with 1001;
 * - the `@connections` management API (POST/GET/DELETE, 410 Gone) on the same port.
 *
 * @example
 * ```ts
 * const gateway = new WebSocketGateway({
 *   routes: ['$connect', '$disconnect', '$default', 'send'].map((routeKey) => ({ routeKey, functionId: 'chat.ws' })),
 *   authorizerFunctionId: 'platform.wsAuthorizer',
 *   invoker,
 * });
 * const { url, managementUrl } = await gateway.start(); // 'ws://127.0.0.1:40123', 'http://127.0.0.1:40123/live'
 * // new WebSocket(`${url}/live?ticket=…`); new ApiGatewayManagementApiClient({ endpoint: managementUrl })
 * await gateway.stop();
 * ```
 */
export class WebSocketGateway {
  /** The API's routes, in the order they were given. */
  readonly routes: readonly WebSocketRoute[];
  readonly #table: WebSocketRouteTable;
  readonly #invoker: FunctionInvoker;
  readonly #authorizer: WebSocketAuthorizer | undefined;
  readonly #api: WebSocketApiContext;
  readonly #limits: ConnectionLimits;
  readonly #integrationTimeoutMs: number;
  readonly #port: number;
  readonly #host: string;
  readonly #defaultDomainName: string;
  readonly #now: () => number;
  readonly #ids: RequestIdSource;
  readonly #requestTime = requestTimeFormatter();
  readonly #onError: ((report: WebSocketGatewayReport) => void) | undefined;
  readonly #wss: WebSocketServer;
  readonly #connectionsApi: ConnectionsApi;
  readonly #connections = new Map<string, Connection>();
  /** Sockets whose handshake is being authorized or connected. */
  readonly #handshakes = new Set<Duplex>();
  /** `$disconnect` invocations in flight (`stop()` waits for them). */
  readonly #disconnects = new Set<Promise<void>>();
  /** The subprotocol `$connect` chose for a handshake (`Sec-WebSocket-Protocol`). */
  readonly #protocols = new WeakMap<IncomingMessage, string>();
  #server: Server | undefined;
  #boundPort = 0;
  #url: string | undefined;
  #managementUrl: string | undefined;
  #stopping = false;

  /** @throws WebSocketConfigurationError for a bad option or route, naming it and the bad value. */
  constructor(options: WebSocketGatewayOptions) {
    const kind = WEBSOCKET_GATEWAY;
    this.#port = options.port ?? kind.defaultPort;
    requireInteger(kind, 'port', this.#port, 0, 65_535);
    this.#host = options.host ?? '127.0.0.1';
    this.#limits = {
      maxFrameBytes: options.maxFrameBytes ?? 32 * 1024,
      idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
      maxConnectionMs: options.maxConnectionMs ?? 2 * 3_600_000,
    };
    requireInteger(kind, 'maxFrameBytes', this.#limits.maxFrameBytes, 1, 2 ** 30);
    requireInteger(kind, 'idleTimeoutMs', this.#limits.idleTimeoutMs, 1, 2 ** 31 - 1);
    requireInteger(kind, 'maxConnectionMs', this.#limits.maxConnectionMs, 1, 2 ** 31 - 1);
    const maxMessageBytes = options.maxMessageBytes ?? 128 * 1024;
    requireInteger(kind, 'maxMessageBytes', maxMessageBytes, 1, 2 ** 30);
    this.#integrationTimeoutMs = options.integrationTimeoutMs ?? 29_000;
    requireInteger(kind, 'integrationTimeoutMs', this.#integrationTimeoutMs, 50, 29_000);
    const authorizerTimeoutMs = options.authorizerTimeoutMs ?? 10_000;
    requireInteger(kind, 'authorizerTimeoutMs', authorizerTimeoutMs, 1, 10_000);
    this.#api = {
      accountId: requireMatch('accountId', options.accountId ?? '000000000000', /^\d{12}$/),
      region: requireMatch('region', options.region ?? 'us-east-1', /^[a-z]{2}(-[a-z]+)+-\d$/),
      apiId: requireMatch('apiId', options.apiId ?? 'quantaws', /^[a-z0-9]+$/),
      stage: requireMatch('stage', options.stage ?? 'live', /^[A-Za-z0-9_-]{1,128}$/),
    };
    this.#defaultDomainName = `${this.#api.apiId}.execute-api.${this.#api.region}.amazonaws.com`;
    this.routes = options.routes;
    this.#table = WebSocketRouteTable.from(options.routes);
    this.#invoker = options.invoker;
    this.#now = options.now ?? Date.now;
    this.#ids = options.ids ?? new RandomRequestIds();
    this.#onError = options.onError;
    if (options.authorizerFunctionId !== undefined) {
      if (options.authorizerFunctionId === '') {
        throw new WebSocketConfigurationError(`${kind.name} option 'authorizerFunctionId' must not be empty`);
      }
      this.#authorizer = new WebSocketAuthorizer({
        invoker: this.#invoker,
        functionId: options.authorizerFunctionId,
        timeoutMs: authorizerTimeoutMs,
        now: this.#now,
      });
    }
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.#limits.maxFrameBytes,
      handleProtocols: (_offered, req) => this.#protocols.get(req) ?? false,
    });
    this.#connectionsApi = new ConnectionsApi({
      stage: this.#api.stage,
      lookup: (connectionId) => {
        const connection = this.#connections.get(connectionId);
        return connection?.isOpen === true ? connection : undefined;
      },
      maxPayloadBytes: maxMessageBytes,
      ids: this.#ids,
      ...(options.onPush === undefined ? {} : { onPush: options.onPush }),
    });
  }

  /** Starts listening; resolves with the URLs once the port is bound. */
  async start(): Promise<{ readonly url: string; readonly managementUrl: string }> {
    if (this.#server !== undefined) throw WEBSOCKET_GATEWAY.alreadyStarted(this.#url);
    const server = createServer((req, res) => {
      void this.#connectionsApi.handle(req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#onUpgrade(req, socket, head),
    );
    this.#server = server;
    try {
      await listen(server, this.#port, this.#host);
    } catch (error) {
      this.#server = undefined;
      throw WEBSOCKET_GATEWAY.listenError(
        `WebSocket gateway cannot listen on ${this.#host}:${this.#port}`,
        error,
      );
    }
    this.#stopping = false;
    this.#boundPort = (server.address() as AddressInfo).port;
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    const url = `ws://${host}:${this.#boundPort}`;
    const managementUrl = `http://${host}:${this.#boundPort}/${this.#api.stage}`;
    this.#url = url;
    this.#managementUrl = managementUrl;
    return { url, managementUrl };
  }

  /**
   * Stops at once: refuses handshakes in progress, closes every connection with 1001 (cutting those
   * that do not answer within a moment), closes HTTP keep-alive connections, and waits for the
   * `$disconnect` invocations that causes.
   */
  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#url = undefined;
    this.#managementUrl = undefined;
    this.#stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#handshakes) socket.destroy();
    const connections = [...this.#connections.values()];
    for (const connection of connections) connection.close(GOING_AWAY);
    const allClosed = Promise.all(connections.map((connection) => connection.closed));
    await Promise.race([allClosed, delay(STOP_GRACE_MS)]);
    for (const connection of connections) connection.terminate();
    await allClosed;
    server.closeAllConnections();
    await closed;
    await Promise.allSettled([...this.#disconnects]);
  }

  /** The URL clients connect to (`ws://host:port`; append `/{stage}` as on AWS), while started. */
  get url(): string | undefined {
    return this.#url;
  }

  /** The management API endpoint (`http://host:port/{stage}`), while started. */
  get managementUrl(): string | undefined {
    return this.#managementUrl;
  }

  /** Open connections. */
  get connections(): number {
    return this.#connections.size;
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#handshakes.add(socket);
    // The client may leave mid-handshake; its socket errors must not crash the gateway.
    socket.on('error', ignore);
    const connectionId = this.#ids.requestId();
    const requestId = this.#ids.requestId();
    this.#handshake(req, socket, head, connectionId, requestId)
      .catch((error: unknown) => {
        this.#report({
          requestId,
          connectionId,
          routeKey: '$connect',
          statusCode: 500,
          reason: String(error),
        });
        rejectHandshake(socket, 500, json('Internal server error'), requestId);
      })
      .finally(() => this.#handshakes.delete(socket));
  }

  async #handshake(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    connectionId: string,
    requestId: string,
  ): Promise<void> {
    const requestTimeEpoch = this.#now();
    const path = pathOf(req.url);
    const { stage } = this.#api;
    if (path !== '/' && path !== `/${stage}` && path !== `/${stage}/`) {
      return rejectHandshake(socket, 403, json('Forbidden'), requestId);
    }
    if (!isWebSocketHandshake(req)) return rejectHandshake(socket, 400, json('Bad Request'), requestId);
    const upgrade = readUpgradeRequest(req, {
      port: this.#boundPort,
      traceId: () => this.#ids.traceId(requestTimeEpoch),
      defaultDomainName: this.#defaultDomainName,
    });
    const stamp: EventStamp = {
      requestId,
      requestTimeEpoch,
      requestTime: this.#requestTime(requestTimeEpoch),
    };
    const identity: WebSocketIdentity =
      upgrade.userAgent === undefined
        ? { sourceIp: upgrade.sourceIp }
        : { sourceIp: upgrade.sourceIp, userAgent: upgrade.userAgent };
    let facts: ConnectionFacts = {
      connectionId,
      connectedAt: requestTimeEpoch,
      identity,
      domainName: upgrade.domainName,
    };

    if (this.#authorizer !== undefined) {
      if (WebSocketAuthorizer.identitySourceOf(upgrade.queryStringParameters) === undefined) {
        return rejectHandshake(socket, 401, json('Unauthorized'), requestId);
      }
      const verdict = await this.#authorizer.authorize(
        buildAuthorizerEvent(this.#api, upgrade, facts, stamp),
      );
      if (verdict.kind === 'deny') return rejectHandshake(socket, 403, json('Forbidden'), requestId);
      if (verdict.kind === 'failed') {
        this.#report({
          requestId,
          connectionId,
          routeKey: '$connect',
          statusCode: 500,
          reason: verdict.reason,
        });
        return rejectHandshake(socket, 500, json('Internal server error'), requestId);
      }
      facts = { ...facts, authorizer: verdict.authorizer };
    }

    const connect = this.#table.connect;
    if (connect !== undefined && !socket.destroyed) {
      const event = buildConnectEvent(this.#api, upgrade, facts, stamp);
      const outcome = connectOutcomeOf(await this.#integrate(connect, event));
      if (outcome.kind === 'refuse') {
        this.#report({
          requestId,
          connectionId,
          routeKey: '$connect',
          statusCode: outcome.statusCode,
          reason: outcome.reason,
        });
        return rejectHandshake(socket, outcome.statusCode, outcome.body, requestId, outcome.contentType);
      }
      if (outcome.protocol !== undefined) this.#protocols.set(req, outcome.protocol);
    }

    if (socket.destroyed || this.#stopping) {
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, facts));
  }

  #open(ws: WebSocket, facts: ConnectionFacts): void {
    if (this.#stopping) {
      ws.terminate();
      return;
    }
    const connection = new Connection(facts, ws, this.#limits, this.#now);
    this.#connections.set(facts.connectionId, connection);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void this.#onMessage(connection, data, isBinary);
    });
    ws.on('ping', () => connection.touch());
    ws.on('error', (error: Error) => connection.failed(error));
    ws.once('close', (code: number, reason: Buffer) => {
      this.#onClose(connection, code, reason.toString('utf8'));
      connection.markClosed();
    });
  }

  async #onMessage(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    connection.touch();
    if (isBinary) {
      connection.close(BINARY_FRAME);
      return;
    }
    const requestTimeEpoch = this.#now();
    const requestId = this.#ids.requestId();
    const { connectionId } = connection.facts;
    const body = bufferOf(data).toString('utf8');
    const route = this.#table.select(body);
    if (route === undefined) {
      connection.post(Buffer.from(JSON.stringify({ message: 'Forbidden', connectionId, requestId })));
      return;
    }
    const stamp: EventStamp = {
      requestId,
      requestTimeEpoch,
      requestTime: this.#requestTime(requestTimeEpoch),
    };
    const messageId = this.#ids.requestId();
    const event = buildMessageEvent(this.#api, connection.facts, route.routeKey, body, messageId, stamp);
    const result = await this.#integrate(route, event);
    if (result.kind === 'failed') {
      this.#report({ requestId, connectionId, routeKey: route.routeKey, reason: result.reason });
      const message = result.timedOut ? 'Endpoint request timed out' : 'Internal server error';
      connection.post(Buffer.from(JSON.stringify({ message, connectionId, requestId })));
      return;
    }
    if (route.returnResponse === false) return;
    const response = routeResponseOf(result.payload);
    if (response !== undefined) connection.post(response);
  }

  #onClose(connection: Connection, code: number, reason: string): void {
    connection.clearTimers();
    const { facts } = connection;
    this.#connections.delete(facts.connectionId);
    const route = this.#table.disconnect;
    if (route === undefined) return;
    const cause = connection.closedBy ?? clientCloseCause(code, reason);
    const requestTimeEpoch = this.#now();
    const requestId = this.#ids.requestId();
    const stamp: EventStamp = {
      requestId,
      requestTimeEpoch,
      requestTime: this.#requestTime(requestTimeEpoch),
    };
    const event = buildDisconnectEvent(this.#api, facts, cause, stamp);
    const pending = this.#integrate(route, event).then((result) => {
      if (result.kind === 'failed') {
        this.#report({
          requestId,
          connectionId: facts.connectionId,
          routeKey: '$disconnect',
          reason: result.reason,
        });
      }
    });
    this.#disconnects.add(pending);
    void pending.finally(() => this.#disconnects.delete(pending));
  }

  /** Invokes a route's function like a Lambda proxy integration; never rejects. */
  async #integrate(route: WebSocketRoute, event: WebSocketEvent): Promise<IntegrationResult> {
    let result: Awaited<ReturnType<typeof invokeWithDeadline>>;
    try {
      result = await invokeWithDeadline(this.#invoker, route.functionId, event, this.#integrationTimeoutMs);
    } catch (error) {
      return {
        kind: 'failed',
        timedOut: false,
        reason: `${route.functionId} could not be invoked: ${String(error)}`,
      };
    }
    if (result === DEADLINE_PASSED) {
      return {
        kind: 'failed',
        timedOut: true,
        reason: `${route.functionId} timed out after ${this.#integrationTimeoutMs} ms`,
      };
    }
    if (!result.ok) {
      const { errorType, errorMessage } = result.error;
      return {
        kind: 'failed',
        timedOut: false,
        reason: `${route.functionId} failed: ${errorType}: ${errorMessage}`,
      };
    }
    return { kind: 'ok', payload: result.payload };
  }

  #report(report: WebSocketGatewayReport): void {
    this.#onError?.(report);
  }
}

type IntegrationResult =
  | { readonly kind: 'ok'; readonly payload: unknown }
  | { readonly kind: 'failed'; readonly timedOut: boolean; readonly reason: string };

/** One open connection: its socket, its facts, its timers, and what the management API may do. */
class Connection implements ManagedConnection {
  readonly facts: ConnectionFacts;
  lastActiveAt: number;
  /** What `$disconnect` reports when the gateway closed the connection (first cause wins). */
  closedBy: DisconnectCause | undefined;
  /** Settles once the socket closed and `$disconnect` was started. */
  readonly closed: Promise<void>;
  readonly #socket: WebSocket;
  readonly #maxFrameBytes: number;
  readonly #now: () => number;
  readonly #idle: NodeJS.Timeout;
  readonly #lifetime: NodeJS.Timeout;
  #markClosed: () => void = ignore;

  constructor(facts: ConnectionFacts, socket: WebSocket, limits: ConnectionLimits, now: () => number) {
    this.facts = facts;
    this.#socket = socket;
    this.#maxFrameBytes = limits.maxFrameBytes;
    this.#now = now;
    this.lastActiveAt = facts.connectedAt;
    this.closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
    // Timers must not keep a stopping process alive; `stop()` closes connections itself.
    this.#idle = setTimeout(() => this.close(GOING_AWAY), limits.idleTimeoutMs).unref();
    this.#lifetime = setTimeout(() => this.close(GOING_AWAY), limits.maxConnectionMs).unref();
  }

  get connectedAt(): number {
    return this.facts.connectedAt;
  }

  get identity(): WebSocketIdentity {
    return this.facts.identity;
  }

  get isOpen(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /** The client sent something: the connection is active again. */
  touch(): void {
    this.lastActiveAt = this.#now();
    this.#idle.refresh();
  }

  /**
   * Sends `data` as one message, text when it is UTF-8 (binary otherwise), in frames of at most the
   * frame quota, as API Gateway splits what it sends. False when the connection is not open.
   */
  post(data: Buffer): boolean {
    if (!this.isOpen) return false;
    const binary = !isUtf8(data);
    if (data.length <= this.#maxFrameBytes) {
      this.#socket.send(data, { binary });
      return true;
    }
    for (let offset = 0; offset < data.length; offset += this.#maxFrameBytes) {
      const end = Math.min(offset + this.#maxFrameBytes, data.length);
      this.#socket.send(data.subarray(offset, end), { binary, fin: end === data.length });
    }
    return true;
  }

  delete(): void {
    this.close(DELETED);
  }

  /** Starts the closing handshake with `cause`, unless the connection is already closing. */
  close(cause: DisconnectCause): void {
    if (!this.isOpen) return;
    this.closedBy ??= cause;
    this.#socket.close(cause.statusCode, cause.reason);
  }

  /** Cuts the socket (a client that does not answer a close frame). */
  terminate(): void {
    this.#socket.terminate();
  }

  /** `ws` refused a frame and is closing the connection with the matching code. */
  failed(error: Error & { code?: string }): void {
    const statusCode =
      error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? 1009
        : error.code === 'WS_ERR_INVALID_UTF8'
          ? 1007
          : 1002;
    this.closedBy ??= { statusCode, reason: error.message };
  }

  clearTimers(): void {
    clearTimeout(this.#idle);
    clearTimeout(this.#lifetime);
  }

  markClosed(): void {
    this.#markClosed();
  }
}

/** What `$connect` decided about a handshake. */
type ConnectOutcome =
  | { readonly kind: 'accept'; readonly protocol?: string }
  | {
      readonly kind: 'refuse';
      readonly statusCode: number;
      readonly body: string;
      readonly contentType: string;
      readonly reason: string;
    };

/**
 * Reads `$connect`'s answer as API Gateway does with a Lambda proxy integration: a `statusCode`
 * outside 2xx refuses the handshake with that status (and the function's `body`); a failure or a
 * timeout refuses it with 500 or 504; anything else (no `statusCode`, even no answer) accepts it,
 * with the subprotocol the function put in its `Sec-WebSocket-Protocol` header.
 */
function connectOutcomeOf(result: IntegrationResult): ConnectOutcome {
  if (result.kind === 'failed') {
    return result.timedOut
      ? refuse(504, json('Endpoint request timed out'), 'application/json', result.reason)
      : refuse(500, json('Internal server error'), 'application/json', result.reason);
  }
  const { payload } = result;
  if (!isRecord(payload) || payload.statusCode === undefined) return { kind: 'accept' };
  const { statusCode, body, headers } = payload;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return refuse(
      500,
      json('Internal server error'),
      'application/json',
      `$connect returned statusCode ${String(statusCode)}`,
    );
  }
  if (statusCode < 200 || statusCode > 299) {
    return refuse(
      statusCode,
      typeof body === 'string' ? body : '',
      'text/plain; charset=utf-8',
      `$connect answered ${statusCode}`,
    );
  }
  if (isRecord(headers)) {
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() === 'sec-websocket-protocol' && typeof value === 'string' && value !== '') {
        return { kind: 'accept', protocol: value };
      }
    }
  }
  return { kind: 'accept' };
}

function refuse(statusCode: number, body: string, contentType: string, reason: string): ConnectOutcome {
  return { kind: 'refuse', statusCode, body, contentType, reason };
}

/**
 * The route response of a message's integration: the `body` the function returned (base64-decoded
 * when `isBase64Encoded`), or undefined when it returned none or an empty one.
 */
function routeResponseOf(payload: unknown): Buffer | undefined {
  if (!isRecord(payload) || typeof payload.body !== 'string' || payload.body === '') return undefined;
  return payload.isBase64Encoded === true ? Buffer.from(payload.body, 'base64') : Buffer.from(payload.body);
}

/** `$disconnect`'s cause when the client closed (or vanished). */
function clientCloseCause(code: number, reason: string): DisconnectCause {
  if (reason !== '') return { statusCode: code, reason };
  if (code === 1005) return { statusCode: 1005, reason: 'Client-side close frame status not set' };
  if (code === 1006) return { statusCode: 1006, reason: 'Connection closed abnormally' };
  return { statusCode: code, reason };
}

/** Answers a handshake with an HTTP response and closes the socket. */
function rejectHandshake(
  socket: Duplex,
  statusCode: number,
  body: string,
  requestId: string,
  contentType = 'application/json',
): void {
  if (socket.destroyed) return;
  const head = [
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Unknown'}`,
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-amzn-RequestId: ${requestId}`,
    ...(body === '' ? [] : [`Content-Type: ${contentType}`]),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function isWebSocketHandshake(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  return (
    req.method === 'GET' &&
    upgrade !== undefined &&
    upgrade.toLowerCase() === 'websocket' &&
    typeof req.headers['sec-websocket-key'] === 'string' &&
    req.headers['sec-websocket-version'] === '13'
  );
}

function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

function bufferOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireMatch(name: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) {
    throw new WebSocketConfigurationError(
      `WebSocket gateway option '${name}' must match ${pattern}, got '${value}'`,
    );
  }
  return value;
}

function ignore(): void {}
