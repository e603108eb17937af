import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createObservability, isTracingAvailable, observedHandler, parseEnvironment } from '@quanta/runtime';
import orders from '../quantum';
import { DeadlineSweeper, type SweepSummary } from '../service/DeadlineSweeper';
import { buildSaga } from './buildSaga';
import { sweeperEnvironmentSchema } from './ordersEnvironment';

// Composition root of orders' `sweeper` function (schedule `deadline-sweep`): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(sweeperEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: orders.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const { tracer, logger, metrics } = observability;
const wiring = buildSaga(
  env,
  {
    dynamodb: tracer.captureAWSv3Client(new DynamoDBClient({})),
    sqs: tracer.captureAWSv3Client(new SQSClient({})),
    kms: () => tracer.captureAWSv3Client(new KMSClient({})),
  },
  logger,
);
const sweeper = new DeadlineSweeper({
  orders: wiring.orders,
  saga: wiring.saga,
  batchLimit: env.SWEEP_BATCH_LIMIT,
  concurrency: env.SWEEP_CONCURRENCY,
  log: logger,
});
/** Stop picking up orders this close to the function's timeout; the next run continues. */
const SAFETY_MARGIN_MS = 5000;

/** `sweeper`: cancels orders past their deadline (TIMEOUT) and re-sends unacknowledged compensations. */
export const handler = observedHandler(
  async (_event: unknown, context): Promise<SweepSummary> => {
    const summary = await sweeper.sweep({
      shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
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
