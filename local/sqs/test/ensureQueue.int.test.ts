import { randomUUID } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureQueue } from '../ensureQueue';
import { QueueProvisioningError } from '../errors';
import { SqsLocal } from '../SqsLocal';

const local = new SqsLocal();
let sqs: SQSClient;

describe('ensureQueue', () => {
  beforeAll(async () => {
    const { endpoint } = await local.start();
    sqs = new SQSClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    sqs.destroy();
    await local.stop();
  });

  it('creates the queue and its DLQ with a redrive policy that moves a message after maxReceiveCount receives', async () => {
    const name = `q-${randomUUID()}`;
    const queue = await ensureQueue(sqs, {
      name,
      visibilityTimeoutSeconds: 0,
      deadLetter: { maxReceiveCount: 2 },
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'poison' }));

    const receive = async (url: string) =>
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? [];
    const first = await receive(queue.url);
    const second = await receive(queue.url);
    const third = await receive(queue.url);
    const inDlq = await receive(queue.deadLetter?.url ?? '');

    expect(queue.deadLetter?.name).toBe(`${name}-dlq`);
    expect(queue.arn).toBe(`arn:aws:sqs:eu-west-1:000000000000:${name}`);
    expect([first.length, second.length, third.length]).toEqual([1, 1, 0]);
    expect(inDlq.map((m) => m.Body)).toEqual(['poison']);
    const { Attributes: attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
      }),
    );
    expect(JSON.parse(attributes?.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: queue.deadLetter?.arn,
    });
  });

  it('is idempotent', async () => {
    const spec = {
      name: `q-${randomUUID()}`,
      visibilityTimeoutSeconds: 60,
      deadLetter: { maxReceiveCount: 3 },
    };

    expect(await ensureQueue(sqs, spec)).toEqual(await ensureQueue(sqs, spec));
  });

  it('creates a FIFO DLQ for a FIFO queue and refuses a FIFO name mismatch', async () => {
    const base = `q-${randomUUID()}`;

    const fifo = await ensureQueue(sqs, {
      name: `${base}.fifo`,
      fifo: true,
      deadLetter: { maxReceiveCount: 3 },
    });

    expect(fifo.deadLetter?.name).toBe(`${base}-dlq.fifo`);
    await expect(ensureQueue(sqs, { name: base, fifo: true })).rejects.toBeInstanceOf(QueueProvisioningError);
  });
});
