// The HTTP handler stack every API and facade function is wrapped in: what it returns, its middy
// middlewares (Powertools, correlation id, response counts), the one error-to-HTTP mapping, and the
// header reading they share (the correlation id, any header by name). Routing is in `createRouter.ts`.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { ErrorBody } from '@quanta/contracts/http';
import type { Context } from 'aws-lambda';
import { MethodNotAllowedError, QuantaError, TooManyRequestsError } from '../errors';
import type { Observability } from '../observability/Observability';
import { securityHeaders } from './securityHeaders';

/**
 * What an HTTP function returns. It satisfies both API Gateway shapes the runtime serves: the HTTP
 * API (payload 2.0, structured result) and the REST API proxy integration used by facades.
 */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Always a string (empty for 204) so REST API integrations accept it too. */
  readonly body: string;
}

/** Content type of every JSON body the runtime writes. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A JSON response. `cache-control: no-store` is the default because API responses carry tokens and
 * personal data; pass a `cache-control` header to allow caching (e.g. a JWKS).
 *
 * @example
 * ```ts
 * return jsonResponse(201, { userId });
 * return jsonResponse(200, jwks, { 'cache-control': 'public, max-age=300' });
 * ```
 */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store', ...lowerCaseKeys(headers) },
    body: JSON.stringify(body),
  };
}

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

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Options of {@link httpHandler}. */
export interface HttpHandlerOptions {
  /** Logger, metrics and tracer of the function (see `createObservability`). */
  readonly observability: Observability;
}

/**
 * Wraps an HTTP function body (a router, or a single handler) with the runtime's middy stack:
 * Powertools tracer (`tracer.middleware`, a no-op when tracing is off), logger
 * (`injectLambdaContext`, keys reset per request), metrics (`logMetrics` with the cold-start
 * metric, plus `Http2xx`/`Http4xx`/`Http5xx` counts), the correlation id (logs + response header),
 * the security headers ({@link securityHeaders}), and the one error-to-HTTP mapping. Works for
 * HTTP API (2.0) and REST API proxy events.
 *
 * @example
 * ```ts
 * export const handler = httpHandler(createRouter(manifest.routes ?? [], routes), { observability });
 * ```
 */
export function httpHandler<E extends CorrelatedEvent>(
  body: (event: E, context: Context) => Promise<HttpResult>,
  options: HttpHandlerOptions,
): MiddyfiedHandler<E, HttpResult> {
  const { logger, metrics, tracer } = options.observability;
  return middy<E, HttpResult>(body)
    .use(tracer.middleware)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectCorrelationId(logger) as MiddlewareObj<E, HttpResult>)
    .use(countResponses(metrics) as MiddlewareObj<E, HttpResult>)
    .use(securityHeaders() as MiddlewareObj<E, HttpResult>)
    .use(httpErrorHandler({ logger }) as MiddlewareObj<E, HttpResult>);
}

function countResponses(metrics: Observability['metrics']): MiddlewareObj<unknown, HttpResult> {
  const count = (request: { response: HttpResult | null | undefined }): void => {
    const status = request.response?.statusCode ?? 500;
    metrics.addMetric(`Http${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
  };
  return { name: 'countResponses', after: count, onError: count };
}

/**
 * middy middleware: puts the request's correlation id on every log line and echoes it in the
 * `x-correlation-id` response header, on success and on error responses alike.
 *
 * @example
 * ```ts
 * middy(handler).use(injectLambdaContext(logger, { resetKeys: true })).use(injectCorrelationId(logger));
 * ```
 */
export function injectCorrelationId(
  logger: Pick<Logger, 'setCorrelationId'>,
): MiddlewareObj<CorrelatedEvent, HttpResult> {
  const echo = (request: { event: CorrelatedEvent; response: HttpResult | null | undefined }): void => {
    if (request.response === null || request.response === undefined) return;
    request.response = {
      ...request.response,
      headers: { ...request.response.headers, [CORRELATION_ID_HEADER]: correlationIdOf(request.event) },
    };
  };
  return {
    name: 'injectCorrelationId',
    before: (request) => {
      logger.setCorrelationId(correlationIdOf(request.event));
    },
    after: echo,
    onError: echo,
  };
}

/**
 * middy middleware: the only place where errors become HTTP responses (see {@link errorResponse}).
 * It sets the response instead of returning it, so the other middlewares' `onError` hooks (metrics
 * flush, logger cleanup, trace segment) still run.
 *
 * @example
 * ```ts
 * middy(handler).use(httpErrorHandler({ logger }));
 * ```
 */
export function httpErrorHandler(options: {
  readonly logger: Pick<Logger, 'error' | 'info'>;
}): MiddlewareObj<unknown, HttpResult> {
  return {
    name: 'httpErrorHandler',
    onError: (request) => {
      request.response = errorResponse(request.error, options.logger);
    },
  };
}

/** Client-facing messages of retryable 503 codes. */
const RETRYABLE_MESSAGES: Readonly<Record<string, string>> = {
  DEPENDENCY_UNAVAILABLE: 'A service this request depends on is unavailable or too slow; retry later',
};

/**
 * The one mapping from an error to an HTTP response (used only by {@link httpErrorHandler}):
 * a {@link QuantaError} below 500 answers its status, code, message and details (plus `Allow` for a
 * 405 and `Retry-After` for a 429); a 503 answers its
 * code with a generic retryable message; anything else is a generic 500 `INTERNAL`. Server errors are logged with
 * their stack; no stack trace or internal message ever reaches a body.
 *
 * @example
 * ```ts
 * errorResponse(new NotFoundError('User 42 not found'), logger); // 404 { error: { code: 'NOT_FOUND', ... } }
 * ```
 */
export function errorResponse(error: unknown, logger?: Pick<Logger, 'error' | 'info'>): HttpResult {
  if (error instanceof QuantaError && error.status < 500) {
    // Status and code only: client-error messages echo client input (e-mails…), which stays out of logs.
    logger?.info('Request rejected', { status: error.status, code: error.code });
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
    const headers: Record<string, string> =
      error instanceof MethodNotAllowedError
        ? { allow: error.allowed.join(', ') }
        : error instanceof TooManyRequestsError
          ? { 'retry-after': String(error.retryAfterSeconds) }
          : {};
    return jsonResponse(error.status, body, headers);
  }
  if (error instanceof Error) logger?.error('Request failed', error);
  else logger?.error('Request failed', { error: String(error) });
  if (error instanceof QuantaError && error.status === 503) {
    // The stable code tells clients *what* is unavailable (e.g. DEPENDENCY_UNAVAILABLE); the message
    // stays generic, because the internal one names our topology (it is in the log above).
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: RETRYABLE_MESSAGES[error.code] ?? 'Service unavailable, retry later',
      },
    };
    return jsonResponse(503, body, { 'retry-after': '1' });
  }
  const body: ErrorBody = { error: { code: 'INTERNAL', message: 'Internal error' } };
  return jsonResponse(500, body);
}

/** Header through which a client (or an upstream quantum) passes its correlation id. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

// Bounded and log-safe: the value lands in every log line and event envelope of the request. The
// base64 alphabet is in because API Gateway's request ids (`Xk3P0a9Qm1cEJrA=`) are what a quantum
// forwards when its own client sent no id.
const SAFE_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** The parts of an API Gateway event a correlation id is derived from. */
export interface CorrelatedEvent {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly requestContext?: { readonly requestId?: string };
}

/**
 * The correlation id of a request: the client's `x-correlation-id` when it is well-formed, else the
 * API Gateway request id (a fresh UUID if there is none).
 *
 * @example
 * ```ts
 * const correlationId = correlationIdOf(event); // 'c0ffee-…' from the header or requestContext.requestId
 * ```
 */
export function correlationIdOf(event: CorrelatedEvent): string {
  const known = derived.get(event);
  if (known !== undefined) return known;
  const header = headerOf(event.headers, CORRELATION_ID_HEADER);
  const id =
    header !== undefined && SAFE_ID.test(header) ? header : (event.requestContext?.requestId ?? randomUUID());
  derived.set(event, id);
  return id;
}

// Remembered per event object so the logger, the handler and the response header agree even when
// the id had to be generated.
const derived = new WeakMap<object, string>();

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
