import { defineMessage } from '@quanta/contracts/envelope';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { messageBatchHandler, on } from '../src/messaging/sqsBatchHandler';
import { replyQueueUrlsFrom, requestQueueUrlsFrom } from '../src/messaging/sqsSenders';
import { lambdaContext } from '../src/testing/lambdaContext';
import { testObservability } from '../src/testing/testObservability';

const Reserve = defineMessage('Reserve', 1, z.object({ orderId: z.string() }));
const Release = defineMessage('Release', 1, z.object({ orderId: z.string() }));

function envelope(type: string, payload: unknown, version = 1): string {
  return JSON.stringify({
    messageId: crypto.randomUUID(),
    correlationId: 'corr-1',
    replyTo: 'orders',
    deadline: new Date(Date.now() + 60_000).toISOString(),
    type,
    version,
    payload,
  });
}

function sqsEvent(...bodies: string[]): SQSEvent {
  const records: SQSRecord[] = bodies.map((body, i) => ({
    messageId: `m${i}`,
    receiptHandle: `rh${i}`,
    body,
    attributes: {
      ApproximateReceiveCount: '2',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:q',
    awsRegion: 'eu-west-1',
  }));
  return { Records: records };
}

describe('messageBatchHandler', () => {
  it('dispatches each envelope to the handler of its type, validated by its contract', async () => {
    const seen: string[] = [];
    const handler = messageBatchHandler({
      handlers: [
        on(Reserve, async (e, ctx) => {
          seen.push(`reserve ${e.payload.orderId} (delivery ${ctx.receiveCount})`);
        }),
        on(Release, async (e) => {
          seen.push(`release ${e.payload.orderId}`);
        }),
      ],
      observability: testObservability(),
    });

    const result = await handler(
      sqsEvent(envelope('Reserve', { orderId: 'o1' }), envelope('Release', { orderId: 'o2' })),
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(seen).toEqual(['reserve o1 (delivery 2)', 'release o2']);
  });

  it('reports unknown types, unknown versions and invalid payloads as failed without running anything', async () => {
    const seen: string[] = [];
    const handler = messageBatchHandler({
      handlers: [on(Reserve, async (e) => void seen.push(e.payload.orderId))],
      observability: testObservability(),
    });

    const result = await handler(
      sqsEvent(
        envelope('Unknown', { orderId: 'a' }),
        envelope('Reserve', { orderId: 'b' }, 2),
        envelope('Reserve', { orderId: 42 }),
        'not json',
        envelope('Reserve', { orderId: 'ok' }),
      ),
      lambdaContext(),
    );

    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(seen).toEqual(['ok']);
  });

  it('retries only the message whose handler threw', async () => {
    const handler = messageBatchHandler({
      handlers: [
        on(Reserve, async (e) => {
          if (e.payload.orderId === 'boom') throw new Error('transient');
        }),
      ],
      observability: testObservability(),
    });

    const result = await handler(
      sqsEvent(envelope('Reserve', { orderId: 'a' }), envelope('Reserve', { orderId: 'boom' })),
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it('refuses two handlers for the same message type and version', () => {
    expect(() =>
      messageBatchHandler({
        handlers: [on(Reserve, async () => undefined), on(Reserve, async () => undefined)],
        observability: testObservability(),
      }),
    ).toThrow(/Two handlers for message Reserve@1/);
  });
});

describe('queue URL variables', () => {
  it('map REQUEST_QUEUE_URL_<TARGET> and REPLY_QUEUE_URL_<SENDER> to lower-case quantum names', () => {
    const env = {
      REQUEST_QUEUE_URL_CATALOG: 'https://sqs/cat',
      REQUEST_QUEUE_URL_PAYMENTS: 'https://sqs/pay',
      REPLY_QUEUE_URL: 'https://sqs/own',
      REPLY_QUEUE_URL_ORDERS: 'https://sqs/ord',
      REQUEST_QUEUE_URL_EMPTY: '',
    };

    expect(requestQueueUrlsFrom(env)).toEqual({ catalog: 'https://sqs/cat', payments: 'https://sqs/pay' });
    expect(replyQueueUrlsFrom(env)).toEqual({ orders: 'https://sqs/ord' });
  });
});
