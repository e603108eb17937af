// The outbox relay, `@quanta/runtime/events/relay`: the function that takes the outbox items off the
// quantum table's stream and publishes them to the bus, in order. Writing them is `outbox.ts`.
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { MiddyfiedHandler } from '@middy/core';
import { type AnyEventEnvelope, eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import * as z from '@quanta/contracts/zod';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ENV } from '../config/environment';
import { parseEnvironment } from '../config/functionContext';
import { EventPublishError } from '../errors';
import { OUTBOX_PK_PREFIX } from '../manifest/outbox';
import { createObservability, isTracingAvailable, observedHandler } from '../observability/Observability';
import { EventBridgePublisher, type EventPublisher } from './EventBridgePublisher';

/** Options of {@link outboxRelayFunction}. */
export interface OutboxRelayFunctionOptions {
  /** The function's environment, read by the handler file (its composition root). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The quantum's name (logs, metrics, and the expected `EVENT_SOURCE`, `quanta.<name>`).
   * @default the `QUANTUM` variable, which the plan gives every function
   */
  readonly quantum?: string;
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
 * // quanta/orders/functions/outboxRelay.ts
 * import { outboxRelayFunction } from '@quanta/runtime/events/relay';
 * export const handler = outboxRelayFunction({ env: process.env });
 * ```
 */
export function outboxRelayFunction(
  options: OutboxRelayFunctionOptions,
): MiddyfiedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse> {
  const quantum =
    options.quantum ??
    parseEnvironment(z.object({ [ENV.quantum]: z.string().check(z.minLength(1)) }), options.env).QUANTUM;
  const env = parseEnvironment(
    z.object({
      [ENV.eventBusName]: z.string().check(z.minLength(1)),
      [ENV.eventSource]: z.literal(`quanta.${quantum}`),
    }),
    options.env,
  );
  const observability = createObservability({
    serviceName: quantum,
    tracingEnabled: isTracingAvailable(options.env),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const { logger, metrics } = observability;
  const relay = createOutboxRelay({
    publisher: new EventBridgePublisher({
      client: observability.awsClient(new EventBridgeClient({})),
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

/** Options of {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  readonly publisher: EventPublisher;
  readonly logger: Pick<Logger, 'error' | 'warn' | 'info'>;
}

/**
 * The outbox relay's function body for the quantum table's stream (`ReportBatchItemFailures` on):
 * takes the outbox items among the `INSERT` records, publishes their envelopes in stream order and
 * reports failures as `batchItemFailures` — the first failed record and every record after it, so
 * Lambda retries from there and order is preserved. A malformed outbox item is reported the same
 * way (the event source mapping's retry limit and on-failure destination take it out of the shard).
 * `outboxRelayFunction` wraps it as a Lambda handler.
 *
 * @example
 * ```ts
 * const relay = createOutboxRelay({ publisher, logger });
 * const { batchItemFailures } = await relay(streamEvent);
 * ```
 */
export function createOutboxRelay(
  options: OutboxRelayOptions,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    const records = event.Records;
    const outbox: { index: number; envelope: AnyEventEnvelope }[] = [];
    let firstFailure = records.length;
    for (const [index, record] of records.entries()) {
      const parsed = outboxEnvelopeOf(record);
      if (parsed === undefined) continue;
      if (!parsed.ok) {
        options.logger.error('Malformed outbox item; reporting it as failed', {
          sequenceNumber: record.dynamodb?.SequenceNumber,
          reason: parsed.reason,
        });
        firstFailure = index;
        break;
      }
      outbox.push({ index, envelope: parsed.envelope });
    }
    if (outbox.length > 0) {
      try {
        await options.publisher.publish(outbox.map((o) => o.envelope));
        options.logger.info('Relayed outbox events', { count: outbox.length });
      } catch (error) {
        const failedIds =
          error instanceof EventPublishError ? new Set(error.failed.map((f) => f.eventId)) : undefined;
        const firstFailed = outbox.find((o) => failedIds === undefined || failedIds.has(o.envelope.id));
        options.logger.error('Publishing outbox events failed', error as Error);
        if (firstFailed !== undefined) firstFailure = Math.min(firstFailure, firstFailed.index);
      }
    }
    return {
      batchItemFailures: records
        .slice(firstFailure)
        .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' }))
        .filter((f) => f.itemIdentifier !== ''),
    };
  };
}

type Parsed = { ok: true; envelope: AnyEventEnvelope } | { ok: false; reason: string };

function outboxEnvelopeOf(record: DynamoDBRecord): Parsed | undefined {
  if (record.eventName !== 'INSERT' || record.dynamodb?.NewImage === undefined) return undefined;
  // aws-lambda's stream AttributeValue and the SDK's are the same wire shape under different types.
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
  if (typeof item.pk !== 'string' || !item.pk.startsWith(OUTBOX_PK_PREFIX)) return undefined;
  if (typeof item.envelope !== 'string') return { ok: false, reason: `${item.pk} has no envelope string` };
  let json: unknown;
  try {
    json = JSON.parse(item.envelope);
  } catch (error) {
    return { ok: false, reason: `${item.pk} envelope is not JSON: ${(error as Error).message}` };
  }
  const parsed = eventEnvelopeBaseSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `${item.pk} envelope is invalid: ${parsed.error.message}` };
  return { ok: true, envelope: parsed.data };
}
