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

/** A run of 12 or more digits, optionally grouped by single spaces or dashes (`4242 4242 …`). */
const DIGIT_RUN = /\d(?:[ -]?\d){11,}/g;
/** A card verification code as it appears in JSON text: `"cvc":"123"`. */
const CVC_IN_JSON = /("cvc"\s*:\s*)"[^"]*"/gi;

/**
 * Masks everything in `text` that could be a card number and blanks CVCs in JSON text: the one
 * masking rule for text that is logged raw (a poison message's body, a log line through a
 * `jsonReplacerFn`). A PAN must never reach a log.
 *
 * The rule:
 * - Any run of 12 or more digits (card numbers have 12 to 19), grouped by single spaces or dashes
 *   or not, becomes `****` followed by its last 4 digits. The last 4 stay visible because they are
 *   what orders and payments store and show (`cardLast4`), so a log line can still be matched to a
 *   payment; PCI DSS allows at most the first 6 and last 4, and we need no more than the last 4.
 *   The mask has a fixed width, so it does not reveal the number's length either.
 * - Deliberately over-broad: no upper length and no word boundary, so a number glued to letters or
 *   inside a longer digit run is masked too. A masked 13-digit timestamp costs a little readability;
 *   a leaked card number costs a breach. Only an ARN's account segment (12 digits between colons)
 *   is kept, for operators.
 * - `"cvc":"…"` becomes `"cvc":"***"`: a CVC may never be stored, not even in part.
 *
 * @example
 * ```ts
 * redactCardNumbers('{"number":"4242 4242 4242 4242","cvc":"123"}'); // '{"number":"****4242","cvc":"***"}'
 * ```
 */
export function redactCardNumbers(text: string): string {
  return text
    .replace(DIGIT_RUN, (run: string, offset: number) =>
      isArnAccount(text, run, offset) ? run : `****${run.replace(/\D/g, '').slice(-4)}`,
    )
    .replace(CVC_IN_JSON, '$1"***"');
}

function isArnAccount(text: string, run: string, offset: number): boolean {
  return run.length === 12 && text[offset - 1] === ':' && text[offset + run.length] === ':';
}
