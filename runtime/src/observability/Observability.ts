// How a function logs, measures and traces: the Powertools trio (its tracer loaded only when tracing
// is on), the middy stack that wraps a non-HTTP body with it (`httpHandler` is the HTTP one), and
// what must never reach a log (card numbers).
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type SdkClient, withoutSdkCallLogging } from './sdkCallLogging';

export { redactCardNumbers } from './redactCardNumbers';

/** The Powertools trio every handler is wrapped with. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Powertools Tracer when tracing is on, loaded only then; no-ops when it is off. */
  readonly tracer: Tracing;
  /**
   * Readies an AWS SDK client for this function: its calls traced when tracing is on
   * (`tracer.captureAWSv3Client`), and not prepared for a log line nobody writes
   * ({@link withoutSdkCallLogging}). Returns the same client.
   */
  awsClient<T extends SdkClient>(client: T): T;
}

/**
 * What a function uses of the tracer: Powertools Tracer's when tracing is on, no-ops when it is off
 * (see {@link createObservability}).
 *
 * @example
 * ```ts
 * const sqs = observability.tracer.captureAWSv3Client(new SQSClient({}));
 * export const handler = middy(body).use(observability.tracer.middleware);
 * ```
 */
export interface Tracing {
  /** Traces the client's calls as X-Ray subsegments when tracing is on; returns the same client. */
  captureAWSv3Client<T>(client: T): T;
  /**
   * The middy middleware that opens the handler's subsegment and closes it, with the handler's
   * error as metadata but not its response (Powertools' `captureLambdaHandler`). A no-op when off.
   */
  readonly middleware: MiddlewareObj;
}

/** What `./xrayTracing` exports: the module {@link createObservability} loads when tracing is on. */
export interface TracingModule {
  xrayTracing(serviceName: string): Tracing;
}

/** Options of {@link createObservability}. */
export interface ObservabilityOptions {
  /** Service name on logs, metrics and traces (the quantum's name). */
  readonly serviceName: string;
  /** CloudWatch metrics namespace. @default 'Quanta' */
  readonly namespace?: string;
  /**
   * Whether X-Ray tracing is on. Decide it in the composition root with {@link isTracingAvailable}.
   * Off, the tracer and its middleware are no-ops and neither Powertools Tracer nor the X-Ray SDK is
   * loaded. On, they are loaded during init (decision D58):
   * - a client given to `captureAWSv3Client` is returned as is, and captured as soon as they are
   *   loaded (the X-Ray SDK adds middleware to the client's stack, which may be done after its
   *   construction);
   * - the middleware's `before` waits for them, so no invocation runs untraced and every client given
   *   during init is captured before the first handler runs. If they fail to load (or to capture a
   *   client), every invocation fails with that error rather than run untraced.
   * @default false
   */
  readonly tracingEnabled?: boolean;
  /** Loads the tracing module when tracing is on (tests inject a fake). @default `import('./xrayTracing')` */
  readonly loadTracing?: () => Promise<TracingModule>;
  /** Logger to use instead of a new one (tests pass a silent or spied logger). */
  readonly logger?: Logger;
  /** Metrics to use instead of new ones. */
  readonly metrics?: Metrics;
}

/**
 * Builds the logger, metrics and tracer of one function, synchronously, as composition roots are.
 * Call it once per cold start, in the handler's composition root, and pass the result to the
 * runtime's handler factories. With tracing on, it starts loading the tracer at once.
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
  const tracer =
    options.tracingEnabled === true
      ? tracingLoadedBy(options.loadTracing ?? (() => import('./xrayTracing')), options.serviceName)
      : NO_TRACING;
  return {
    logger,
    metrics,
    tracer,
    awsClient: (client) => tracer.captureAWSv3Client(withoutSdkCallLogging(client)),
  };
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
 * middy stack: tracer (`tracer.middleware`, a no-op when tracing is off), logger
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
      .use(tracer.middleware)
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Registered after logMetrics so its onError runs first and the count is in the flushed batch.
      .use({ onError: () => void metrics.addMetric('InvocationErrors', MetricUnit.Count, 1) })
  );
}

/** Tracing when it is off: nothing is loaded, and nothing is done. */
const NO_TRACING: Tracing = {
  captureAWSv3Client: (client) => client,
  // middy refuses a middleware without a hook.
  middleware: { name: 'tracing', before: () => undefined },
};

/** Tracing that is on, from the module `load` starts loading now (see `tracingEnabled`). */
function tracingLoadedBy(load: () => Promise<TracingModule>, serviceName: string): Tracing {
  let loaded: Tracing | undefined;
  // The tracing once loaded and every client given until then captured: what `before` waits for.
  let ready = load().then((module) => {
    loaded = module.xrayTracing(serviceName);
    return loaded;
  });
  // Not an unhandled rejection during init: every invocation's `before` rethrows it.
  ready.catch(() => undefined);
  return {
    captureAWSv3Client: (client) => {
      if (loaded !== undefined) return loaded.captureAWSv3Client(client);
      ready = ready.then((tracing) => {
        tracing.captureAWSv3Client(client);
        return tracing;
      });
      ready.catch(() => undefined);
      return client;
    },
    middleware: {
      name: 'tracing',
      before: async (request) => (await ready).middleware.before?.(request),
      // After a `before` that succeeded, `loaded` is set; without one there is no subsegment to close.
      after: (request) => loaded?.middleware.after?.(request),
      onError: (request) => loaded?.middleware.onError?.(request),
    },
  };
}
