import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import { GatewayConfigurationError, GatewayStateError, HttpGatewayError } from './errors';
import { readGatewayRequest } from './GatewayRequest';
import { type GatewayResponse, GatewayResponses } from './GatewayResponses';
import { type GatewayKind, GatewayServer, type GatewayServerOptions, requireInteger } from './GatewayServer';
import { type CorsHeaders, HttpApiCors, type HttpApiCorsConfiguration } from './HttpApiCors';
import {
  type ApiContext,
  buildAuthorizerEvent,
  buildProxyEvent,
  type LambdaAuthorizerContext,
  mapProxyResult,
  type RequestBody,
  requestBodyOf,
} from './httpApiEvents';
import { DEADLINE_PASSED, invokeWithDeadline } from './invokeWithDeadline';
import { LambdaAuthorizer } from './LambdaAuthorizer';
import { type InvokeListener, ObservedInvoker } from './ObservedInvoker';
import { type GatewayRoute, RouteTable } from './RouteTable';

/** Why the gateway answered a request with a 5xx (AWS writes this to access logs). */
export interface GatewayErrorReport {
  readonly requestId: string;
  readonly routeKey: string;
  readonly statusCode: number;
  readonly reason: string;
}

/** Options of {@link HttpGateway}. */
export interface HttpGatewayOptions extends GatewayServerOptions {
  /** The API's routes, as the platform's HTTP API declares them. */
  readonly routes: readonly GatewayRoute[];
  /** Runs the authorizer and the quanta's `api` functions. */
  readonly invoker: FunctionInvoker;
  /** TCP port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** Authorizer result cache TTL in seconds, 0 to 3600; 0 disables caching. @default 60 */
  readonly authorizerCacheTtlSeconds?: number;
  /** Reported as `requestContext.accountId`. @default '000000000000' */
  readonly accountId?: string;
  /** Used in route ARNs and the default domain name. @default 'us-east-1' */
  readonly region?: string;
  /** Reported as `requestContext.apiId`. @default 'quantalocal' */
  readonly apiId?: string;
  /** Function id of the Lambda authorizer. @default 'platform.authorizer' */
  readonly authorizerFunctionId?: string;
  /** How long the gateway waits for an integration before answering 503, 50 to 30000. @default 30000 */
  readonly integrationTimeoutMs?: number;
  /** How long the gateway waits for the authorizer before answering 500. @default 10000 */
  readonly authorizerTimeoutMs?: number;
  /** Clock in epoch milliseconds (event times and the authorizer cache). @default Date.now */
  readonly now?: () => number;
  /** Called before every function invocation (authorizer and integrations). */
  readonly onInvoke?: InvokeListener;
  /** Called with the reason of every 5xx the gateway produces. @default ignore */
  readonly onError?: (report: GatewayErrorReport) => void;
  /** The API's CORS configuration (see {@link HttpApiCors}). @default none: no CORS, as on AWS */
  readonly cors?: HttpApiCorsConfiguration;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** HTTP APIs limit the request line plus headers to 10240 bytes. */
const MAX_HEADER_BYTES = 10_240;
const TOO_LARGE = Symbol('too large');
const DISCARD_FACTOR = 4;

const HTTP_GATEWAY: GatewayKind = {
  name: 'HTTP gateway',
  defaultPort: 3000,
  serverOptions: { maxHeaderSize: MAX_HEADER_BYTES },
  configurationError: (message) => new GatewayConfigurationError(message),
  alreadyStarted: (url) => new GatewayStateError(`HTTP gateway is already started at ${url}`),
  listenError: (message, cause) => new HttpGatewayError(message, { cause }),
};

/**
 * The local cloud's API Gateway HTTP API: the platform's routes, Lambda proxy integrations with
 * payload format 2.0, the platform's REQUEST Lambda authorizer with simple responses and a result
 * cache, and the API's CORS when it has one ({@link HttpApiCors}), on a `node:http` server.
 *
 * @example
 * ```ts
 * const gateway = new HttpGateway({ routes: routesOf(plan), invoker, port: 3000 });
 * const { url } = await gateway.start(); // 'http://127.0.0.1:3000'
 * // curl -H 'authorization: Bearer …' http://127.0.0.1:3000/identity/me
 * await gateway.stop();
 * ```
 */
export class HttpGateway extends GatewayServer {
  /** The API's routes, in the order they were given. */
  readonly routes: readonly GatewayRoute[];
  readonly #table: RouteTable;
  readonly #invoker: ObservedInvoker;
  readonly #authorizer: LambdaAuthorizer;
  readonly #api: ApiContext;
  readonly #integrationTimeoutMs: number;
  readonly #defaultDomainName: string;
  readonly #onError: ((report: GatewayErrorReport) => void) | undefined;
  readonly #cors: HttpApiCors | undefined;

  constructor(options: HttpGatewayOptions) {
    const ttl = options.authorizerCacheTtlSeconds ?? 60;
    requireInteger(HTTP_GATEWAY, 'authorizerCacheTtlSeconds', ttl, 0, 3600);
    const integrationTimeoutMs = options.integrationTimeoutMs ?? 30_000;
    requireInteger(HTTP_GATEWAY, 'integrationTimeoutMs', integrationTimeoutMs, 50, 30_000);
    const authorizerTimeoutMs = options.authorizerTimeoutMs ?? 10_000;
    requireInteger(HTTP_GATEWAY, 'authorizerTimeoutMs', authorizerTimeoutMs, 1, 10_000);
    super(options, HTTP_GATEWAY);
    this.#integrationTimeoutMs = integrationTimeoutMs;
    this.#api = {
      accountId: requireMatch('accountId', options.accountId ?? '000000000000', /^\d{12}$/),
      region: requireMatch('region', options.region ?? 'us-east-1', /^[a-z]{2}(-[a-z]+)+-\d$/),
      apiId: requireMatch('apiId', options.apiId ?? 'quantalocal', /^[a-z0-9]+$/),
    };
    this.#defaultDomainName = `${this.#api.apiId}.execute-api.${this.#api.region}.amazonaws.com`;
    this.#onError = options.onError;
    this.#cors = options.cors === undefined ? undefined : new HttpApiCors(options.cors);
    this.routes = options.routes;
    this.#table = RouteTable.from(this.routes);
    this.#invoker = new ObservedInvoker(options.invoker, options.onInvoke);
    this.#authorizer = new LambdaAuthorizer({
      invoker: this.#invoker,
      functionId: options.authorizerFunctionId ?? 'platform.authorizer',
      resultTtlSeconds: ttl,
      timeoutMs: authorizerTimeoutMs,
      now: this.now,
    });
  }

  /** How many times the gateway invoked `functionId` (authorizer or integration). */
  invocationCount(functionId: string): number {
    return this.#invoker.count(functionId);
  }

  /** Invocations per function id. */
  invocationCounts(): ReadonlyMap<string, number> {
    return this.#invoker.counts();
  }

  /** Empties the authorizer result cache, like API Gateway's ResetAuthorizersCache. */
  resetAuthorizerCache(): void {
    this.#authorizer.clearCache();
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const timeEpoch = this.now();
    const requestId = this.ids.requestId();
    // What every response to this request carries: the CORS headers of an allowed origin, if any.
    const reply: Reply = { res, requestId, cors: this.#cors?.responseHeaders(req.method, req.headers) ?? {} };
    try {
      await this.#serve(req, reply, timeEpoch);
    } catch (error) {
      // The invoker rejected (unknown function, stopped invoker) or the client went away mid-body.
      this.#fail(reply, `${req.method} ${req.url}`, error);
    }
  }

  async #serve(req: IncomingMessage, reply: Reply, timeEpoch: number): Promise<void> {
    const { res, requestId } = reply;
    const request = readGatewayRequest(req, {
      requestId,
      timeEpoch,
      time: this.requestTime(timeEpoch),
      traceId: () => this.ids.traceId(timeEpoch),
      port: this.port,
      defaultDomainName: this.#defaultDomainName,
    });
    const match =
      METHODS.has(request.method) && request.rawPath.startsWith('/')
        ? this.#table.match(request.method, request.rawPath)
        : undefined;
    // A route of its own (`OPTIONS`, or `ANY`) takes a preflight; otherwise the gateway answers it.
    if (match === undefined && this.#cors !== undefined && HttpApiCors.isPreflight(req.method, req.headers)) {
      return this.#answerPreflight(req, reply, this.#cors.preflightHeaders(req.headers));
    }
    if (match === undefined) return this.#respond(reply, GatewayResponses.notFound);
    const { route } = match;

    let body: RequestBody | undefined;
    if (hasBody(req)) {
      const declared = Number(req.headers['content-length']);
      let bytes: Buffer | typeof TOO_LARGE;
      if (declared > this.maxPayloadBytes) {
        discardBody(req, this.maxPayloadBytes);
        bytes = TOO_LARGE;
      } else {
        bytes = await readBody(req, this.maxPayloadBytes);
      }
      if (bytes === TOO_LARGE) return this.#respond(reply, GatewayResponses.payloadTooLarge);
      body = requestBodyOf(bytes, request.headers['content-type']);
    }

    let authorizer: LambdaAuthorizerContext | undefined;
    if (route.authorized) {
      const identitySource = this.#authorizer.identitySourceOf(request.headers);
      if (identitySource === undefined) return this.#respond(reply, GatewayResponses.unauthorized);
      const outcome =
        this.#authorizer.cached(identitySource) ??
        (await this.#authorizer.authorize(
          identitySource,
          buildAuthorizerEvent(request, match, this.#api, identitySource),
        ));
      if (outcome.kind === 'deny') return this.#respond(reply, GatewayResponses.forbidden);
      if (outcome.kind === 'failed') return this.#fail(reply, route.routeKey, outcome.reason);
      authorizer = outcome.authorizer;
    }

    const event = buildProxyEvent(request, match, this.#api, body, authorizer);
    const result = await invokeWithDeadline(
      this.#invoker,
      route.functionId,
      event,
      this.#integrationTimeoutMs,
    );
    if (result === DEADLINE_PASSED) {
      this.#report(
        requestId,
        route.routeKey,
        503,
        `integration timed out after ${this.#integrationTimeoutMs} ms`,
      );
      return this.#respond(reply, GatewayResponses.serviceUnavailable);
    }
    if (!result.ok) {
      // A function timeout (Sandbox.Timedout) is a function error like any other: 500.
      const { errorType, errorMessage } = result.error;
      return this.#fail(reply, route.routeKey, `${route.functionId} failed: ${errorType}: ${errorMessage}`);
    }
    const response = mapProxyResult(result.payload);
    if (response === undefined) {
      return this.#fail(reply, route.routeKey, `${route.functionId} returned a malformed response`);
    }
    // With CORS, API Gateway ignores the integration's CORS headers and sends its own.
    const headers =
      this.#cors === undefined
        ? (response.headers as Record<string, string | string[] | number>)
        : HttpApiCors.applyTo(response.headers, reply.cors);
    headers['content-length'] = Buffer.byteLength(response.body);
    headers['apigw-requestid'] = requestId;
    try {
      res.writeHead(response.statusCode, headers);
    } catch (error) {
      return this.#fail(reply, route.routeKey, error);
    }
    res.end(response.body);
  }

  /** `204` and no body, with CORS headers only when the preflight is allowed. */
  #answerPreflight(req: IncomingMessage, { res, requestId }: Reply, cors: CorsHeaders): void {
    if (hasBody(req)) discardBody(req, this.maxPayloadBytes);
    res.writeHead(204, { ...cors, 'apigw-requestid': requestId });
    res.end();
  }

  #respond({ res, requestId, cors }: Reply, response: GatewayResponse): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(response.statusCode, {
      ...cors,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(response.body),
      'apigw-requestid': requestId,
    });
    res.end(response.body);
  }

  #fail(reply: Reply, routeKey: string, reason: unknown): void {
    this.#report(reply.requestId, routeKey, 500, reason instanceof Error ? reason.message : String(reason));
    this.#respond(reply, GatewayResponses.internalServerError);
  }

  #report(requestId: string, routeKey: string, statusCode: number, reason: string): void {
    this.#onError?.({ requestId, routeKey, statusCode, reason });
  }
}

/** Where one request's response goes, and the CORS headers every response to it carries. */
interface Reply {
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly cors: CorsHeaders;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * The whole body, or {@link TOO_LARGE} as soon as it exceeds `limit` bytes. The rest of a too large
 * body is read and discarded, so the 413 reaches the client and the connection stays usable: closing
 * a socket with unread data resets it, and the client could lose the response.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      discardBody(req, limit);
      resolve(TOO_LARGE);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks, size));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/**
 * Reads and drops the rest of a body. A client still sending after several times the limit is cut
 * off: draining it would cost more than a reset connection.
 */
function discardBody(req: IncomingMessage, limit: number): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_FACTOR * limit) req.socket.destroy();
  });
  req.resume();
}

function requireMatch(name: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) {
    throw new GatewayConfigurationError(
      `HTTP gateway option '${name}' must match ${pattern}, got '${value}'`,
    );
  }
  return value;
}
