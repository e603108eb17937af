import { Logger } from '@aws-lambda-powertools/logger';
import * as z from '@quanta/contracts/zod';
import {
  ENV,
  type FunctionContext,
  functionContext,
  type TableEnvironment,
  tableEnvironment,
} from '@quanta/runtime/config';
import { createObservability, isTracingAvailable, redactCardNumbers } from '@quanta/runtime/observability';

/**
 * Environment of payments' `requests` function (set by the CDK stack and the local cloud from the
 * manifest; the `PAYMENT_*`/`PROCESSOR_*` settings may be overridden per environment in cdk.json
 * `quanta:environment`). The reply queues (`REPLY_QUEUE_URL_<SENDER>`) are read with
 * `replyQueueUrlsFrom`. The `facade` function needs only the runtime's `tableEnvironment`.
 */
export const requestsEnvironment = z.extend(tableEnvironment, {
  /**
   * Seconds a claim on a PENDING intent lasts: keep it above the function timeout and below the
   * request queue's visibility timeout (6 × the function timeout).
   */
  PAYMENT_LEASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(5), z.maximum(3600)), 30),
  /** Deliveries (and attempts) after which a processing error becomes a PROCESSING_ERROR decline. */
  PAYMENT_MAX_PROCESSING_ATTEMPTS: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)),
    3,
  ),
  /** Simulated processor latency per call, in ms (benchmarks). */
  PROCESSOR_LATENCY_MS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(10_000)), 0),
});

/** Keys whose values are sensitive card data wherever they appear. */
const CVC_KEYS = new Set(['cvc', 'cvv', 'cvc2', 'cvv2']);

/**
 * A `JSON.stringify` replacer that keeps card data out of serialized output (log lines): strings
 * are masked by the runtime's `redactCardNumbers`, long integers that could be a card number sent as a
 * JSON number are masked, CVC fields are blanked. Structure is kept so logs stay useful.
 *
 * @example
 * ```ts
 * JSON.stringify({ card: { number: '4242424242424242', cvc: '123' } }, redactCardData);
 * // '{"card":{"number":"****4242","cvc":"***"}}'
 * new Logger({ serviceName: 'payments', jsonReplacerFn: redactCardData });
 * ```
 */
export function redactCardData(key: string, value: unknown): unknown {
  if (CVC_KEYS.has(key.toLowerCase()) && value !== undefined && value !== null) return '***';
  if (typeof value === 'string') return redactCardNumbers(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e11) {
    return redactCardNumbers(String(Math.abs(value)));
  }
  if (typeof value === 'bigint') return redactCardNumbers(value.toString());
  return value;
}

/**
 * payments' Powertools logger: every log line is serialized through {@link redactCardData}, so a
 * card number (or CVC) that reaches a log by any path — a poison message's body logged by the
 * runtime, an error, an attribute — is masked to its last 4 digits before it is written.
 *
 * @example
 * ```ts
 * outboxRelayFunction({ env: process.env, logger: cardSafeLogger('payments') });
 * ```
 */
export function cardSafeLogger(serviceName: string, options: { logLevel?: string } = {}): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: redactCardData,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel as 'INFO' }),
  });
}

/**
 * The runtime's `functionContext`, with observability that logs through {@link cardSafeLogger}:
 * what every payments function's composition root starts from.
 *
 * @example
 * ```ts
 * const { env, observability, table } = cardSafeContext(requestsEnvironment, process.env);
 * ```
 */
export function cardSafeContext<S extends z.core.$ZodType<TableEnvironment>>(
  schema: S,
  processEnv: Readonly<Record<string, string | undefined>>,
): FunctionContext<z.infer<S>> {
  // Read before the schema so the logger exists first; a missing QUANTUM still fails the parse below.
  const serviceName = processEnv[ENV.quantum] ?? 'payments';
  const observability = createObservability({
    serviceName,
    tracingEnabled: isTracingAvailable(processEnv),
    logger: cardSafeLogger(serviceName),
  });
  return functionContext(schema, processEnv, { observability });
}
