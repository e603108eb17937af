import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { functionContext } from '@quanta/runtime/config';
import { observedHandler } from '@quanta/runtime/observability';
import { DeadlineSweeper, type SweepSummary } from '../service/DeadlineSweeper';
import { sagaOf, sweeperEnvironment } from './environment';

// Composition root of orders' `sweeper` function (schedule `deadline-sweep`): once per cold start.
const context = functionContext(sweeperEnvironment, process.env);
const { env, observability } = context;
const { logger, metrics } = observability;
const { orders, saga } = sagaOf(context);
const sweeper = new DeadlineSweeper({
  orders,
  saga,
  batchLimit: env.SWEEP_BATCH_LIMIT,
  concurrency: env.SWEEP_CONCURRENCY,
  log: logger,
});
/** Stop picking up orders this close to the function's timeout; the next run continues. */
const SAFETY_MARGIN_MS = 5000;

/** `sweeper`: cancels orders past their deadline (TIMEOUT) and re-sends unacknowledged compensations. */
export const handler = observedHandler(
  async (_event: unknown, lambdaContext): Promise<SweepSummary> => {
    const summary = await sweeper.sweep({
      shouldStop: () => lambdaContext.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
    });
    metrics.addMetric('SagaTimeouts', MetricUnit.Count, summary.timedOut);
    metrics.addMetric('CompensationsResent', MetricUnit.Count, summary.compensationsResent);
    metrics.addMetric('SweepFailures', MetricUnit.Count, summary.failed);
    if (summary.timedOut + summary.compensationsResent + summary.failed > 0)
      logger.info('Sweep done', { ...summary });
    return summary;
  },
  { observability },
);
