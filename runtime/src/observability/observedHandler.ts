import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Observability } from './Observability';

/**
 * Wraps a non-HTTP function body (authorizers, stream and queue consumers) with the Powertools
 * middy stack: tracer (`captureLambdaHandler`, a no-op when tracing is off), logger
 * (`injectLambdaContext`, keys reset per invocation) and metrics (`logMetrics` with the cold-start
 * metric, plus `InvocationErrors`). Errors are not mapped: they fail the invocation, as Lambda and its
 * callers expect.
 *
 * @example
 * ```ts
 * export const handler = observedHandler(async (event: APIGatewayRequestAuthorizerEventV2) => decide(event), { observability });
 * ```
 */
export function observedHandler<E, R>(
  body: (event: E, context: Context) => Promise<R>,
  options: { readonly observability: Observability },
): MiddyfiedHandler<E, R> {
  const { logger, metrics, tracer } = options.observability;
  return (
    middy<E, R>(body)
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Registered after logMetrics so its onError runs first and the count is in the flushed batch.
      .use({ onError: () => void metrics.addMetric('InvocationErrors', MetricUnit.Count, 1) })
  );
}
