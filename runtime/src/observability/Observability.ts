import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

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
