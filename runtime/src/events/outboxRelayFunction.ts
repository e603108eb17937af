import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { MiddyfiedHandler } from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { ENV } from '../config/environment';
import { parseEnvironment } from '../config/parseEnvironment';
import { createObservability, isTracingAvailable } from '../observability/Observability';
import { observedHandler } from '../observability/observedHandler';
import { createOutboxRelay } from './createOutboxRelay';
import { EventBridgePublisher } from './EventBridgePublisher';

/** Options of {@link outboxRelayFunction}. */
export interface OutboxRelayFunctionOptions {
  /** The function's environment, read by the handler file (its composition root). */
  readonly env: NodeJS.ProcessEnv;
  /** The quantum's name (logs, metrics, and the expected `EVENT_SOURCE`, `quanta.<name>`). */
  readonly quantum: string;
  /** A logger of the quantum's own (e.g. one that masks card numbers). @default Powertools' Logger */
  readonly logger?: Logger;
}

/**
 * The whole `outboxRelay` function of a quantum that publishes through its outbox: table stream ->
 * the platform bus ({@link createOutboxRelay} over an {@link EventBridgePublisher}), wrapped with the
 * Powertools logger, tracer and metrics (`OutboxRecords`, `OutboxRecordsFailed`). Every publishing
 * quantum's relay is the same, so its handler file is one line.
 *
 * @example
 * ```ts
 * // quanta/catalog/functions/outboxRelay.ts
 * export const handler = outboxRelayFunction({ env: process.env, quantum: catalog.name });
 * ```
 */
export function outboxRelayFunction(
  options: OutboxRelayFunctionOptions,
): MiddyfiedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse> {
  const env = parseEnvironment(
    z.object({
      [ENV.eventBusName]: z.string().min(1),
      [ENV.eventSource]: z.literal(`quanta.${options.quantum}`),
    }),
    options.env,
  );
  const observability = createObservability({
    serviceName: options.quantum,
    tracingEnabled: isTracingAvailable(options.env),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const { logger, metrics } = observability;
  const relay = createOutboxRelay({
    publisher: new EventBridgePublisher({
      client: observability.tracer.captureAWSv3Client(new EventBridgeClient({})),
      eventBusName: env[ENV.eventBusName],
      source: env[ENV.eventSource],
    }),
    logger,
  });
  return observedHandler(
    async (event: DynamoDBStreamEvent) => {
      const result = await relay(event);
      metrics.addMetric('OutboxRecords', MetricUnit.Count, event.Records.length);
      metrics.addMetric('OutboxRecordsFailed', MetricUnit.Count, result.batchItemFailures.length);
      return result;
    },
    { observability },
  );
}
