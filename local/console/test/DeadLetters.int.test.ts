import path from 'node:path';
import {
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { plan } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifests } from '../../../quanta/manifests';
import { readRegistry } from '../../readRegistry';
import type { ProvisionedQueue } from '../../sqs';
import { ensureQueue, SqsLocal } from '../../sqs';
import { DeadLetters, deadLetterQueuesOf, fauxqsPeek } from '../DeadLetters';
import { NotRedrivableError, UnknownDeadLetterQueueError } from '../errors';

const root = path.resolve(import.meta.dirname, '../../..');
const quanta = plan(manifests, readRegistry(root, { 'quanta:prefix': 'dlqtest' }));
const inbox = quanta.quanta.flatMap((q) => q.queues).find((q) => q.name === 'dlqtest-orders-product-renamed');
if (inbox === undefined) throw new Error('the plan has no orders product-renamed inbox');

let sqsLocal: SqsLocal;
let sqs: SQSClient;
let queue: ProvisionedQueue;
let deadLetters: DeadLetters;

/** Sends `body` to the inbox and receives it until fauxqs moves it to the DLQ (maxReceiveCount 1). */
async function deadLetter(body: string, attribute = 'v'): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queue.url,
      MessageBody: body,
      MessageAttributes: { kind: { DataType: 'String', StringValue: attribute } },
    }),
  );
  for (let i = 0; i < 2; i++) {
    await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 0, MaxNumberOfMessages: 10 }),
    );
  }
}

async function drain(url: string): Promise<{ body: string | undefined; kind: string | undefined }[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
  );
  return Messages.map((m) => ({ body: m.Body, kind: m.MessageAttributes?.kind?.StringValue }));
}

beforeAll(async () => {
  sqsLocal = new SqsLocal();
  const { endpoint } = await sqsLocal.start();
  sqs = new SQSClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});
afterAll(async () => {
  sqs.destroy();
  await sqsLocal.stop();
});
beforeEach(async () => {
  // A fresh pair per test: the redrive under test must find only its own messages.
  for (const name of [inbox.name, inbox.deadLetterQueue.name]) sqsLocal.server.deleteQueue(name);
  queue = await ensureQueue(sqs, { name: inbox.name, deadLetter: { maxReceiveCount: 1 } });
  deadLetters = new DeadLetters({
    plan: quanta,
    sqs,
    peek: fauxqsPeek(sqsLocal.server),
    visibilityTimeoutSeconds: 30,
  });
});

describe('DeadLetters', () => {
  it('lists every DLQ of the plan: queues’, schedules’ and outbox relays’', () => {
    const kinds = new Map(deadLetterQueuesOf(quanta).map((q) => [q.name, q.kind]));

    expect(kinds.get('dlqtest-catalog-requests-dlq')).toBe('queue');
    expect(kinds.get('dlqtest-orders-product-renamed-dlq')).toBe('queue');
    expect([...kinds.values()]).toContain('schedule');
    expect([...kinds.values()]).toContain('outbox');
  });

  it('shows what a DLQ holds without receiving it', async () => {
    await deadLetter(JSON.stringify({ 'detail-type': 'ProductRenamed', detail: { correlationId: 'c-1' } }));

    const state = deadLetters.get(inbox.deadLetterQueue.name);
    const again = deadLetters.get(inbox.deadLetterQueue.name);

    expect(state).toMatchObject({
      depth: 1,
      redrivable: true,
      source: inbox.name,
      functionId: 'orders.productRenamed',
    });
    expect(state.messages[0]).toMatchObject({
      type: 'ProductRenamed',
      correlationIds: ['c-1'],
      inFlight: false,
    });
    expect(again.messages[0]?.receiveCount).toBe(state.messages[0]?.receiveCount);
    expect(deadLetters.list()[0]?.name).toBe(inbox.deadLetterQueue.name);
  });

  it('masks card numbers in the bodies it shows', async () => {
    await deadLetter('{"card":{"number":"4242424242424242"}}');

    expect(deadLetters.get(inbox.deadLetterQueue.name).messages[0]?.body).toBe(
      '{"card":{"number":"****4242"}}',
    );
  });

  it('moves every dead letter back to its source queue once, with its body and attributes', async () => {
    const bodies = Array.from({ length: 13 }, (_, i) => `{"n":${i}}`);
    for (const body of bodies) await deadLetter(body, `a${body.length}`);

    const result = await deadLetters.redrive(inbox.deadLetterQueue.name);

    expect(result).toEqual({ queue: inbox.deadLetterQueue.name, to: inbox.name, moved: 13, failed: [] });
    expect(deadLetters.get(inbox.deadLetterQueue.name).depth).toBe(0);
    const moved = [...(await drain(queue.url)), ...(await drain(queue.url))];
    expect(moved.map((m) => m.body).sort()).toEqual([...bodies].sort());
    expect(moved.every((m) => m.kind === `a${m.body?.length}`)).toBe(true);
  });

  it('leaves the dead letters where they are, visible, when the source queue refuses them', async () => {
    // A first redrive finds both queues (nothing to move); then the source queue disappears.
    expect((await deadLetters.redrive(inbox.deadLetterQueue.name)).moved).toBe(0);
    await deadLetter('{"n":1}');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));

    const result = await deadLetters.redrive(inbox.deadLetterQueue.name);

    expect(result.moved).toBe(0);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.reason).toMatch(/^not sent to dlqtest-orders-product-renamed: /);
    const state = deadLetters.get(inbox.deadLetterQueue.name);
    expect(state).toMatchObject({ depth: 1 });
    expect(state.messages[0]?.inFlight).toBe(false);
  });

  it('refuses a queue that is not a DLQ and an on-failure destination with nothing to redrive to', async () => {
    const schedule = deadLetterQueuesOf(quanta).find((q) => q.kind === 'schedule');

    await expect(deadLetters.redrive('dlqtest-orders-product-renamed')).rejects.toThrow(
      UnknownDeadLetterQueueError,
    );
    await expect(deadLetters.redrive(schedule?.name ?? '')).rejects.toThrow(NotRedrivableError);
    expect(() => deadLetters.get('nope')).toThrow(UnknownDeadLetterQueueError);
  });
});
