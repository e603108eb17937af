import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type AnyEventEnvelope, eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { EventPublishError } from '../errors';
import { OUTBOX_PK_PREFIX } from '../manifest/outbox';
import type { EventPublisher } from './EventBridgePublisher';

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
