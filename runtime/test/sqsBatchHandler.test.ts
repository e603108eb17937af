import { defineEvent } from '@quanta/contracts/envelope';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createEnvelope } from '../src/events/outbox';
import type { IdempotencyStore } from '../src/idempotency/DynamoDbIdempotencyStore';
import { sqsBatchHandler } from '../src/messaging/sqsBatchHandler';
import { lambdaContext } from '../src/testing/lambdaContext';
import { testObservability } from '../src/testing/testObservability';

const Pinged = defineEvent('shop', 'Pinged', 1, z.object({ n: z.number() }));

function eventBridgeBody(detail: unknown): string {
  return JSON.stringify({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Pinged',
    source: 'quanta.shop',
    account: '111111111111',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail,
  });
}

function record(messageId: string, body: string, groupId?: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
      ...(groupId === undefined ? {} : { MessageGroupId: groupId }),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:q',
    awsRegion: 'eu-west-1',
  };
}

const ping = (n: number) => createEnvelope(Pinged, { n }, { correlationId: 'c' });

/** An in-memory idempotency store: remembers completed keys. */
function memoryStore(): IdempotencyStore & { done: Set<string> } {
  const done = new Set<string>();
  return {
    done,
    once: async (key, work) => {
      if (done.has(key)) return 'DUPLICATE';
      await work();
      done.add(key);
      return 'PROCESSED';
    },
  };
}

describe('sqsBatchHandler', () => {
  it('hands each parsed envelope to handle and reports no failure when all succeed', async () => {
    // Arrange
    const seen: number[] = [];
    const handler = sqsBatchHandler({
      parse: Pinged.envelope,
      handle: async (event) => void seen.push(event.data.n),
      observability: testObservability(),
    });
    const event: SQSEvent = {
      Records: [record('m1', eventBridgeBody(ping(1))), record('m2', eventBridgeBody(ping(2)))],
    };

    // Act
    const result = await handler(event, lambdaContext());

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([1, 2]);
  });

  it('reports only the records whose handling failed', async () => {
    // Arrange
    const handler = sqsBatchHandler({
      parse: Pinged.envelope,
      handle: async (event) => {
        if (event.data.n === 2) throw new Error('downstream unavailable');
      },
      observability: testObservability(),
    });
    const event: SQSEvent = {
      Records: [1, 2, 3].map((n) => record(`m${n}`, eventBridgeBody(ping(n)))),
    };

    // Act
    const result = await handler(event, lambdaContext());

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('logs a poison message and reports it as failed without crashing the batch', async () => {
    // Arrange
    const observability = testObservability();
    const logged = vi.spyOn(observability.logger, 'error');
    const handle = vi.fn(async () => undefined);
    const handler = sqsBatchHandler({ parse: Pinged.envelope, handle, observability });
    const wrongData = { ...ping(1), data: { n: 'one' } };
    const event: SQSEvent = {
      Records: [
        record('not-json', '{oops'),
        record('wrong-schema', eventBridgeBody(wrongData)),
        record('not-eventbridge', JSON.stringify(ping(2))),
        record('good', eventBridgeBody(ping(3))),
      ],
    };

    // Act
    const result = await handler(event, lambdaContext());

    // Assert
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      'not-json',
      'wrong-schema',
      'not-eventbridge',
    ]);
    expect(handle).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(
      'Poison message: reporting it as failed so it reaches the DLQ',
      expect.objectContaining({ messageId: 'wrong-schema', reason: expect.stringContaining('data.n') }),
    );
  });

  it('processes a redelivered event once when an idempotency store is given', async () => {
    // Arrange
    const handle = vi.fn(async () => undefined);
    const store = memoryStore();
    const handler = sqsBatchHandler({
      parse: Pinged.envelope,
      handle,
      idempotency: store,
      observability: testObservability(),
    });
    const envelope = ping(1);

    // Act
    await handler({ Records: [record('m1', eventBridgeBody(envelope))] }, lambdaContext());
    const again = await handler(
      { Records: [record('m1-again', eventBridgeBody(envelope))] },
      lambdaContext(),
    );

    // Assert
    expect(handle).toHaveBeenCalledTimes(1);
    expect(again.batchItemFailures).toEqual([]);
    expect(store.done.has(envelope.id)).toBe(true);
  });

  it('fails the later records of a FIFO message group after a failure in that group', async () => {
    // Arrange
    const handle = vi.fn(async (event: { data: { n: number } }) => {
      if (event.data.n === 1) throw new Error('fail');
    });
    const handler = sqsBatchHandler({ parse: Pinged.envelope, handle, observability: testObservability() });
    const event: SQSEvent = {
      Records: [
        record('a1', eventBridgeBody(ping(1)), 'A'),
        record('b1', eventBridgeBody(ping(2)), 'B'),
        record('a2', eventBridgeBody(ping(3)), 'A'),
      ],
    };

    // Act
    const result = await handler(event, lambdaContext());

    // Assert
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['a1', 'a2']);
    expect(handle).toHaveBeenCalledTimes(2);
  });

  it('reports every record, without failing the invocation, when the whole batch fails', async () => {
    // Arrange
    const handler = sqsBatchHandler({
      parse: Pinged.envelope,
      handle: async () => {
        throw new Error('table unavailable');
      },
      observability: testObservability(),
    });
    const event: SQSEvent = { Records: [record('m1', eventBridgeBody(ping(1))), record('m2', '{oops')] };

    // Act
    const result = await handler(event, lambdaContext());

    // Assert
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
  });

  it('handles the records of a standard queue one at a time, in order', async () => {
    // Arrange
    const log: string[] = [];
    const handler = sqsBatchHandler({
      parse: Pinged.envelope,
      handle: async (event) => {
        log.push(`start ${event.data.n}`);
        await new Promise((resolve) => setTimeout(resolve, 3 - event.data.n));
        log.push(`end ${event.data.n}`);
      },
      observability: testObservability(),
    });
    const event: SQSEvent = { Records: [1, 2].map((n) => record(`m${n}`, eventBridgeBody(ping(n)))) };

    // Act
    await handler(event, lambdaContext());

    // Assert
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('reports a record whose handler throws something that is not an Error', async () => {
    // Arrange
    const handler = sqsBatchHandler({
      parse: Pinged.envelope,
      handle: async () => {
        throw undefined;
      },
      observability: testObservability(),
    });

    // Act
    const result = await handler({ Records: [record('m1', eventBridgeBody(ping(1)))] }, lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });
});
