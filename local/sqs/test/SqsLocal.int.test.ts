import {
  DeleteMessageCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SqsSpyMessage } from 'fauxqs';
import { describe, expect, it } from 'vitest';
import { ensureQueue } from '../ensureQueue';
import { SqsLocalStartError } from '../errors';
import { SqsLocal } from '../SqsLocal';

describe('SqsLocal', () => {
  it('starts fauxqs in-process on a free port, answers the SQS API, and frees the port on stop', async () => {
    const local = new SqsLocal();

    const info = await local.start();
    const client = new SQSClient({
      endpoint: info.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const listed = await client.send(new ListQueuesCommand({}));
    await local.stop();

    expect(info.endpoint).toBe(`http://127.0.0.1:${info.port}`);
    expect(listed.QueueUrls ?? []).toEqual([]);
    await expect(client.send(new ListQueuesCommand({}))).rejects.toThrow();
    client.destroy();
    expect(() => local.endpoint).toThrow(SqsLocalStartError);
  });

  it('tells a listener each message sent, deleted and moved to a DLQ', async () => {
    const seen: SqsSpyMessage[] = [];
    const local = new SqsLocal({ onMessage: (m) => seen.push(m) });
    const info = await local.start();
    const client = new SQSClient({
      endpoint: info.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const queue = await ensureQueue(client, { name: 'spied', deadLetter: { maxReceiveCount: 1 } });
      await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'kept' }));
      await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'poison' }));
      const first = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      const kept = first.Messages?.find((m) => m.Body === 'kept');
      await client.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: kept?.ReceiptHandle }),
      );
      // The second receive of 'poison' exceeds maxReceiveCount 1: fauxqs moves it to the DLQ.
      await client.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }));

      expect(seen.map((m) => `${m.status} ${m.queueName} ${m.body}`)).toEqual([
        'published spied kept',
        'published spied poison',
        'consumed spied kept',
        'dlq spied poison',
        'published spied-dlq poison',
      ]);
    } finally {
      client.destroy();
      await local.stop();
    }
  });
});
