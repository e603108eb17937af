import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddyfiedHandler } from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Observability } from '../observability/Observability';
import { observedHandler } from '../observability/observedHandler';
import { createOutboxRelay } from './createOutboxRelay';
import type { EventPublisher } from './EventPublisher';

/**
 * The outbox relay as a complete Lambda handler: {@link createOutboxRelay} wrapped with the Powertools
 * logger, metrics (`OutboxRecords`, `OutboxRecordsFailed`) and tracer.
 *
 * @example
 * ```ts
 * export const handler = outboxRelayHandler({
 *   publisher: new EventBridgePublisher({ client, eventBusName, source }),
 *   observability,
 * });
 * ```
 */
export function outboxRelayHandler(options: {
  readonly publisher: EventPublisher;
  readonly observability: Observability;
}): MiddyfiedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse> {
  const { logger, metrics } = options.observability;
  const relay = createOutboxRelay({ publisher: options.publisher, logger });
  return observedHandler(
    async (event: DynamoDBStreamEvent) => {
      const result = await relay(event);
      metrics.addMetric('OutboxRecords', MetricUnit.Count, event.Records.length);
      metrics.addMetric('OutboxRecordsFailed', MetricUnit.Count, result.batchItemFailures.length);
      return result;
    },
    { observability: options.observability },
  );
}
