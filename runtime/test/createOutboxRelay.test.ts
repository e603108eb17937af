import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { defineEvent } from '@quanta/contracts/envelope';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { EventPublishError } from '../src/errors';
import type { EventPublisher } from '../src/events/EventBridgePublisher';
import { createEnvelope, outboxPut } from '../src/events/outbox';
import { createOutboxRelay } from '../src/events/outboxRelayFunction';

const Pinged = defineEvent('shop', 'Pinged', 1, z.object({ n: z.number() }));

function outboxRecord(n: number, sequence: string): { record: DynamoDBRecord; id: string } {
  const envelope = createEnvelope(Pinged, { n }, { correlationId: 'corr' });
  const item = outboxPut(envelope, { tableName: 't' }).Put?.Item as Record<string, AttributeValue>;
  return { record: streamRecord('INSERT', item, sequence), id: envelope.id };
}

function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  image: Record<string, AttributeValue>,
  sequence: string,
): DynamoDBRecord {
  return {
    eventID: sequence,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: image as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

const logger = () => ({ error: vi.fn(), warn: vi.fn(), info: vi.fn() });

describe('createOutboxRelay', () => {
  it('publishes the outbox envelopes of a batch in stream order and skips other records', async () => {
    // Arrange
    const published: string[] = [];
    const publisher: EventPublisher = {
      publish: async (events) => void published.push(...events.map((e) => e.id)),
    };
    const a = outboxRecord(1, '100');
    const user = streamRecord('INSERT', { pk: { S: 'USER#1' }, sk: { S: 'PROFILE' } }, '101');
    const b = outboxRecord(2, '102');
    const event: DynamoDBStreamEvent = { Records: [a.record, user, b.record] };

    // Act
    const result = await createOutboxRelay({ publisher, logger: logger() })(event);

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(published).toEqual([a.id, b.id]);
  });

  it('reports the first failed event and every record after it', async () => {
    // Arrange
    const records = [outboxRecord(1, '1'), outboxRecord(2, '2'), outboxRecord(3, '3'), outboxRecord(4, '4')];
    const publisher: EventPublisher = {
      publish: async () => {
        throw new EventPublishError([
          { eventId: records[1]?.id ?? '', errorCode: 'InternalFailure', errorMessage: 'x' },
          { eventId: records[3]?.id ?? '', errorCode: 'InternalFailure', errorMessage: 'y' },
        ]);
      },
    };

    // Act
    const result = await createOutboxRelay({ publisher, logger: logger() })({
      Records: records.map((r) => r.record),
    });

    // Assert
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: '2' },
      { itemIdentifier: '3' },
      { itemIdentifier: '4' },
    ]);
  });

  it('reports every record from the first outbox item when publishing fails unexpectedly', async () => {
    // Arrange
    const user = streamRecord('INSERT', { pk: { S: 'USER#1' }, sk: { S: 'PROFILE' } }, '1');
    const a = outboxRecord(1, '2');
    const publisher: EventPublisher = {
      publish: async () => {
        throw new Error('boom');
      },
    };

    // Act
    const result = await createOutboxRelay({ publisher, logger: logger() })({ Records: [user, a.record] });

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
  });

  it('stops at a malformed outbox item, publishes what came before and reports it and the rest', async () => {
    // Arrange
    const published: string[] = [];
    const publisher: EventPublisher = {
      publish: async (events) => void published.push(...events.map((e) => e.id)),
    };
    const a = outboxRecord(1, '1');
    const broken = streamRecord(
      'INSERT',
      { pk: { S: 'OUTBOX#x' }, sk: { S: 'OUTBOX' }, envelope: { S: '{"id":1}' } },
      '2',
    );
    const b = outboxRecord(2, '3');
    const log = logger();

    // Act
    const result = await createOutboxRelay({ publisher, logger: log })({
      Records: [a.record, broken, b.record],
    });

    // Assert
    expect(published).toEqual([a.id]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
    expect(log.error).toHaveBeenCalledWith(
      'Malformed outbox item; reporting it as failed',
      expect.anything(),
    );
  });

  it('ignores the REMOVE records that TTL deletion of outbox items produces', async () => {
    // Arrange
    const publish = vi.fn(async () => undefined);
    const a = outboxRecord(1, '1');
    const removed = { ...a.record, eventName: 'REMOVE' as const };

    // Act
    const result = await createOutboxRelay({ publisher: { publish }, logger: logger() })({
      Records: [removed],
    });

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(publish).not.toHaveBeenCalled();
  });
});
