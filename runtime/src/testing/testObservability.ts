import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createObservability, type Observability } from '../observability/Observability';

/**
 * Observability for tests: a silent logger (spy on it to assert logs), metrics that print nothing,
 * tracing off.
 *
 * @example
 * ```ts
 * const observability = testObservability();
 * const errors = vi.spyOn(observability.logger, 'error');
 * ```
 */
export function testObservability(serviceName = 'test'): Observability {
  // Metrics has no constructor switch; its documented env switch is read at construction only.
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    const logger = new Logger({ serviceName, logLevel: 'SILENT' });
    return createObservability({
      serviceName,
      tracingEnabled: false,
      logger,
      // Its warnings (an invocation that added no metric) go to the silent logger too.
      metrics: new Metrics({ serviceName, namespace: 'QuantaTest', logger }),
    });
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}
