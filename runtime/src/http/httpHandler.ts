import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Observability } from '../observability/Observability';
import type { CorrelatedEvent } from './correlationIdOf';
import type { HttpResult } from './HttpResult';
import { httpErrorHandler } from './httpErrorHandler';
import { injectCorrelationId } from './injectCorrelationId';

/** Options of {@link httpHandler}. */
export interface HttpHandlerOptions {
  /** Logger, metrics and tracer of the function (see `createObservability`). */
  readonly observability: Observability;
}

/**
 * Wraps an HTTP function body (a router, or a single handler) with the runtime's middy stack:
 * Powertools tracer (`captureLambdaHandler`, a no-op when tracing is off), logger
 * (`injectLambdaContext`, keys reset per request), metrics (`logMetrics` with the cold-start
 * metric, plus `Http2xx`/`Http4xx`/`Http5xx` counts), the correlation id (logs + response header),
 * and the one error-to-HTTP mapping. Works for HTTP API (2.0) and REST API proxy events.
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
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectCorrelationId(logger) as MiddlewareObj<E, HttpResult>)
    .use(countResponses(metrics) as MiddlewareObj<E, HttpResult>)
    .use(httpErrorHandler({ logger }) as MiddlewareObj<E, HttpResult>);
}

function countResponses(metrics: Observability['metrics']): MiddlewareObj<unknown, HttpResult> {
  const count = (request: { response: HttpResult | null | undefined }): void => {
    const status = request.response?.statusCode ?? 500;
    metrics.addMetric(`Http${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
  };
  return { name: 'countResponses', after: count, onError: count };
}
