// Powertools Tracer, and with it the X-Ray SDK: the only module of the runtime that imports them, and
// only dynamically, by `createObservability` when tracing is on (decision D58).
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Tracing } from './Observability';

/**
 * Tracing that is on: a Powertools `Tracer` for `serviceName` and its `captureLambdaHandler`
 * middleware, which records the handler's errors as metadata but not its response. Import this
 * module only dynamically (see `createObservability`).
 *
 * @example
 * ```ts
 * const { xrayTracing } = await import('./xrayTracing');
 * const tracing = xrayTracing('orders');
 * ```
 */
export function xrayTracing(serviceName: string): Tracing {
  const tracer = new Tracer({ serviceName, enabled: true });
  return {
    captureAWSv3Client: (client) => tracer.captureAWSv3Client(client),
    middleware: captureLambdaHandler(tracer, { captureResponse: false }),
  };
}
