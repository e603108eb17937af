// How a function logs, measures and traces: the Powertools trio, the middy stack that wraps a
// non-HTTP body with it (`httpHandler` is the HTTP one), and what must never reach a log (card numbers).
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

export { redactCardNumbers } from './redactCardNumbers';

/** The Powertools trio every handler is wrapped with. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** Options of {@link createObservability}. */
export interface ObservabilityOptions {
  /** Service name on logs, metrics and traces (the quantum's name). */
  readonly serviceName: string;
  /** CloudWatch metrics namespace. @default 'Quanta' */
  readonly namespace?: string;
  /**
   * Whether X-Ray tracing is on. Decide it in the composition root with {@link isTracingAvailable};
   * off, the tracer and its middleware are no-ops (no daemon is contacted, no segment is required).
   * Importing the tracer still loads the X-Ray SDK, which installs an async hook on every promise
   * unless `AWS_XRAY_MANUAL_MODE` is set when it loads; the local runtime sets it (decision D37).
   * @default false
   */
  readonly tracingEnabled?: boolean;
  /** Logger to use instead of a new one (tests pass a silent or spied logger). */
  readonly logger?: Logger;
  /** Metrics to use instead of new ones. */
  readonly metrics?: Metrics;
}

/**
 * Builds the logger, metrics and tracer of one function. Call it once per cold start, in the
 * handler's composition root, and pass the result to the runtime's handler factories.
 *
 * @example
 * ```ts
 * const observability = createObservability({
 *   serviceName: 'identity',
 *   tracingEnabled: isTracingAvailable(process.env),
 * });
 * ```
 */
export function createObservability(options: ObservabilityOptions): Observability {
  const logger = options.logger ?? new Logger({ serviceName: options.serviceName });
  const metrics =
    options.metrics ??
    new Metrics({ serviceName: options.serviceName, namespace: options.namespace ?? 'Quanta' });
  const tracer = new Tracer({ serviceName: options.serviceName, enabled: options.tracingEnabled ?? false });
  return { logger, metrics, tracer };
}

/**
 * True only inside a real Lambda execution environment with an X-Ray daemon: `AWS_EXECUTION_ENV`
 * names a Lambda runtime and `AWS_XRAY_DAEMON_ADDRESS` is set (Lambda sets both). The local cloud
 * and tests set neither, so tracing is off there and nothing fails for want of a daemon or segment.
 * `POWERTOOLS_TRACE_ENABLED=false` switches it off everywhere.
 *
 * @example
 * ```ts
 * createObservability({ serviceName: 'identity', tracingEnabled: isTracingAvailable(process.env) });
 * ```
 */
export function isTracingAvailable(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === 'false') return false;
  return (
    (env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda_') && (env.AWS_XRAY_DAEMON_ADDRESS ?? '') !== ''
  );
}

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
