// From a quantum's manifest to its handlers: the router of its public routes, the router of its
// facade operations, and the request parsing both share (caller, JSON body, input validation).
import { type AuthorizerContext, authorizerContextSchema } from '@quanta/contracts/platform';
import * as z from '@quanta/contracts/zod';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2WithRequestContext,
} from 'aws-lambda';
import {
  BadRequestError,
  ConfigurationError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';
import type { FacadeOperationDefinition, RouteDefinition } from '../manifest/QuantumManifest';
import { correlationIdOf, type HttpResult, jsonResponse } from './httpHandler';

/**
 * An HTTP API (payload format 2.0) event as a quantum's `api` function receives it. The authorizer
 * part is typed `unknown` on purpose: it is only trusted after {@link callerOf} has parsed it.
 */
export type HttpApiEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { readonly authorizer?: { readonly lambda?: unknown } }
>;

/** What a route handler receives from the {@link createRouter | router}: the request, parsed. */
export interface HttpRequest {
  /** The raw event, for anything not lifted here. */
  readonly event: HttpApiEvent;
  /** The manifest route that matched. */
  readonly route: RouteDefinition;
  /** Path parameters of the route (`{id}` -> `id`), URL-decoded. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query string parameters (repeated keys comma-joined, as API Gateway does). */
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body, parsed but not validated; `undefined` when there is none. */
  readonly body: unknown;
  /** The authenticated caller (from the authorizer context only), if any. */
  readonly caller: AuthorizerContext | undefined;
  /** The request's correlation id (propagate it into events). */
  readonly correlationId: string;
  /** The caller, or a 401. Routes with `authenticated` or `{ role }` access always have one. */
  requireCaller(): AuthorizerContext;
  /** The body validated with `schema`, or a 400 `VALIDATION_FAILED`. */
  parseBody<S extends z.core.$ZodType>(schema: S): z.infer<S>;
  /** The query validated with `schema`, or a 400 `VALIDATION_FAILED`. */
  parseQuery<S extends z.core.$ZodType>(schema: S): z.infer<S>;
}

/** Handles one route. Throw a `QuantaError` for a 4xx; anything else becomes a generic 500. */
export type RouteHandler = (request: HttpRequest) => Promise<HttpResult> | HttpResult;

/** Handlers by route key, `'<METHOD> <path>'` exactly as in the manifest (`'GET /orders/{id}'`). */
export type RouteHandlers = Readonly<Record<string, RouteHandler>>;

/** Body limit of a route that declares none. */
const DEFAULT_MAX_BODY_BYTES = 16_384;

interface CompiledRoute {
  readonly definition: RouteDefinition;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

/**
 * Builds a quantum's `api` function body from its manifest routes. At cold start it checks that
 * every route has a handler and every handler a route (a mismatch throws). Per request it matches
 * method and `rawPath` (with `{param}` segments), enforces the route's access rule (`authenticated`:
 * an authorizer context is required, else 401; `{ role }`: 403 without the role), enforces
 * `maxBodyBytes` (413), parses the JSON body (400 `INVALID_JSON`), and answers unknown paths with
 * 404 `ROUTE_NOT_FOUND` and known paths with the wrong method with 405 and an `Allow` header.
 * Wrap the result with {@link httpHandler} so errors become JSON responses.
 *
 * @example
 * ```ts
 * const router = createRouter(identity.routes ?? [], {
 *   'GET /identity/me': async (req) => jsonResponse(200, await service.me(req.requireCaller().userId)),
 * });
 * export const handler = httpHandler(router, { observability });
 * ```
 */
export function createRouter(
  routes: readonly RouteDefinition[],
  handlers: RouteHandlers,
): (event: HttpApiEvent) => Promise<HttpResult> {
  const compiled = compile(routes, handlers);
  return async (event) => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = pathOf(event);
    const segments = splitPath(path);
    const onPath = compiled
      .map((route) => ({ route, params: match(route.segments, segments) }))
      .filter((m): m is { route: CompiledRoute; params: Record<string, string> } => m.params !== undefined);
    if (onPath.length === 0)
      throw new NotFoundError(`No route for ${method} ${path}`, { code: 'ROUTE_NOT_FOUND' });
    const found = onPath.find((m) => m.route.definition.method === method);
    if (found === undefined) {
      throw new MethodNotAllowedError(
        method,
        path,
        onPath.map((m) => m.route.definition.method),
      );
    }
    const { route, params } = found;
    const caller = callerOf(event);
    enforceAccess(route.definition, caller, method, path);
    const body = readJsonBody(event, route.definition.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
    const request: HttpRequest = {
      event,
      route: route.definition,
      pathParameters: params,
      query,
      body,
      caller,
      correlationId: correlationIdOf(event),
      requireCaller: () => {
        if (caller === undefined) throw new UnauthorizedError('This route requires an authenticated caller');
        return caller;
      },
      parseBody: (schema) => parseInput(schema, body, 'request body'),
      parseQuery: (schema) => parseInput(schema, query, 'query string'),
    };
    return route.handler(request);
  };
}

function compile(routes: readonly RouteDefinition[], handlers: RouteHandlers): CompiledRoute[] {
  const keys = new Set(routes.map(routeKeyOf));
  const missing = [...keys].filter((k) => handlers[k] === undefined);
  const unknown = Object.keys(handlers).filter((k) => !keys.has(k));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      missing.length > 0 ? `routes without a handler: ${missing.join(', ')}` : '',
      unknown.length > 0 ? `handlers without a manifest route: ${unknown.join(', ')}` : '',
    ].filter((p) => p !== '');
    throw new ConfigurationError(`Router does not match the manifest: ${parts.join('; ')}`);
  }
  return routes.map((definition) => ({
    definition,
    segments: splitPath(definition.path),
    handler: handlers[routeKeyOf(definition)] as RouteHandler,
  }));
}

/** `'POST /identity/signup'` for a route definition. */
function routeKeyOf(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

function enforceAccess(
  route: RouteDefinition,
  caller: ReturnType<typeof callerOf>,
  method: string,
  path: string,
): void {
  if (route.access === 'public') return;
  if (caller === undefined) throw new UnauthorizedError(`${method} ${path} requires an authenticated caller`);
  if (typeof route.access === 'object' && !caller.roles.includes(route.access.role)) {
    throw new ForbiddenError(`${method} ${path} requires role '${route.access.role}'`);
  }
}

function pathOf(event: HttpApiEvent): string {
  const raw = event.rawPath === '' ? '/' : event.rawPath;
  const stage = event.requestContext.stage;
  // A named stage prefixes rawPath (`/prod/orders`); the `$default` stage does not.
  if (stage !== undefined && stage !== '$default' && raw.startsWith(`/${stage}/`))
    return raw.slice(stage.length + 1);
  return raw;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function match(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith('{') && p.endsWith('}')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(a);
      } catch {
        return undefined;
      }
      params[p.slice(1, -1)] = decoded;
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}

/** What a facade operation handler receives. */
export interface FacadeRequest {
  /** The raw REST API proxy event. */
  readonly event: APIGatewayProxyEvent;
  /** Operation name, e.g. `GetUser`. */
  readonly operation: string;
  /** The JSON body, parsed but not validated. */
  readonly body: unknown;
  /** Correlation id passed by the calling quantum (or the request id). */
  readonly correlationId: string;
  /** IAM principal that signed the request (from API Gateway's SigV4 check), for logs and audits. */
  readonly callerArn: string | undefined;
  /** The body validated with `schema`, or a 400 `VALIDATION_FAILED`. */
  parseBody<S extends z.core.$ZodType>(schema: S): z.infer<S>;
}

/** Handles one facade operation; its result is the 200 JSON body. */
export type FacadeHandler = (request: FacadeRequest) => Promise<unknown>;

/** Largest facade request body. */
const FACADE_MAX_BODY_BYTES = 262_144;

const OPERATION_PATH = /\/ops\/([A-Za-z0-9]+)\/?$/;

/**
 * Builds a quantum's `facade` function body: `POST /ops/{operation}` behind the IAM-authorized REST
 * API. At cold start every manifest operation must have a handler and vice versa (else it throws);
 * per request an unknown operation is a 404 `OPERATION_NOT_FOUND`, another method a 405, and the
 * handler's result is answered as 200 JSON. Wrap it with {@link httpHandler}.
 *
 * @example
 * ```ts
 * const facade = createFacadeRouter(identity.facade ?? [], {
 *   GetUser: async (req) => service.getUser(req.parseBody(getUserRequestSchema).userId),
 * });
 * export const handler = httpHandler(facade, { observability });
 * ```
 */
export function createFacadeRouter(
  operations: readonly FacadeOperationDefinition[],
  handlers: Readonly<Record<string, FacadeHandler>>,
): (event: APIGatewayProxyEvent) => Promise<HttpResult> {
  const declared = new Set(operations.map((o) => o.name));
  const missing = [...declared].filter((name) => handlers[name] === undefined);
  const unknown = Object.keys(handlers).filter((name) => !declared.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new ConfigurationError(
      `Facade does not match the manifest: operations without a handler: [${missing.join(', ')}]; ` +
        `handlers without an operation: [${unknown.join(', ')}]`,
    );
  }
  return async (event) => {
    const operation = OPERATION_PATH.exec(event.path)?.[1];
    const handler = operation === undefined ? undefined : handlers[operation];
    if (operation === undefined || handler === undefined) {
      throw new NotFoundError(`No facade operation at ${event.path}`, { code: 'OPERATION_NOT_FOUND' });
    }
    if (event.httpMethod.toUpperCase() !== 'POST')
      throw new MethodNotAllowedError(event.httpMethod, event.path, ['POST']);
    const body = readJsonBody(event, FACADE_MAX_BODY_BYTES);
    const result = await handler({
      event,
      operation,
      body,
      correlationId: correlationIdOf(event),
      callerArn: event.requestContext.identity?.userArn ?? undefined,
      parseBody: (schema) => parseInput(schema, body, `${operation} request`),
    });
    return jsonResponse(200, result);
  };
}

/** The part of an API Gateway event that carries the platform authorizer's verdict. */
export interface AuthorizedEvent {
  readonly requestContext?: { readonly authorizer?: { readonly lambda?: unknown } | null };
}

/**
 * The authenticated caller, read only from `requestContext.authorizer.lambda` (set by the platform
 * authorizer) and parsed with the contract's schema; `undefined` when there is none or it is
 * malformed. Headers are never consulted: a client-sent `x-user-id` means nothing.
 *
 * @example
 * ```ts
 * const caller = callerOf(event); // { userId, sessionId, roles } | undefined
 * ```
 */
export function callerOf(event: AuthorizedEvent): AuthorizerContext | undefined {
  const parsed = authorizerContextSchema.safeParse(event.requestContext?.authorizer?.lambda);
  return parsed.success ? parsed.data : undefined;
}

/** The body-related parts of an API Gateway event (HTTP API or REST API). */
export interface EventWithBody {
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
}

/**
 * Reads a JSON request body: `undefined` when there is none; 415 `UNSUPPORTED_MEDIA_TYPE` unless
 * its `Content-Type` is `application/json` (parameters such as `; charset=utf-8` allowed, any case),
 * so a cross-site form post never reaches a route; 413 `PAYLOAD_TOO_LARGE` above `maxBytes`
 * (measured on the decoded bytes, before parsing, so a huge body costs no parse); 400
 * `INVALID_JSON` when it does not parse.
 *
 * @example
 * ```ts
 * const body = readJsonBody(event, 4096); // unknown: validate it with a schema next
 * ```
 */
export function readJsonBody(event: EventWithBody, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = headerOf(event.headers, 'content-type');
  if (!isJson(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the body as application/json${contentType === undefined ? '' : `, not ${contentType.slice(0, 100)}`}`,
    );
  }
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > maxBytes) {
    throw new PayloadTooLargeError(
      `Body has ${bytes.byteLength} bytes; this route accepts at most ${maxBytes}`,
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BadRequestError(`Body is not valid JSON: ${(error as Error).message}`, {
      code: 'INVALID_JSON',
    });
  }
}

/**
 * Parses untrusted input with a zod schema at the edge; a mismatch is a 400 {@link ValidationError}
 * whose details list every issue with its path.
 *
 * @example
 * ```ts
 * const body = parseInput(signupRequestSchema, request.body, 'request body');
 * ```
 */
export function parseInput<S extends z.core.$ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, what);
  return parsed.data;
}

/** A header's value by case-insensitive name (HTTP API events are lower-case, REST API events are not). */
function headerOf(headers: EventWithBody['headers'], name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** `application/json`, with or without parameters, in any case. */
function isJson(contentType: string | undefined): boolean {
  return (
    contentType !== undefined && contentType.split(';', 1)[0]?.trim().toLowerCase() === 'application/json'
  );
}
