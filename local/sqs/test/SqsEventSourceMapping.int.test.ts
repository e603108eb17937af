import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LambdaRuntime } from '../../lambda/LambdaRuntime';
import { fail, RecordingInvoker, succeed } from '../../lambda/test/RecordingInvoker';
import type { ProvisionedQueue } from '../ensureQueue';
import { ensureQueue } from '../ensureQueue';
import type { SqsEventSourceMappingOptions } from '../SqsEventSourceMapping';
import { SqsEventSourceMapping } from '../SqsEventSourceMapping';
import { SqsLocal } from '../SqsLocal';
import type { SqsEvent } from '../sqsEventRecordOf';

const local = new SqsLocal({ region: 'eu-west-1' });
let sqs: SQSClient;

const bodiesOf = (invoker: RecordingInvoker): string[][] =>
  (invoker.events as SqsEvent[]).map((e) => e.Records.map((r) => r.body));

async function queue(
  options: { visibility?: number; maxReceiveCount?: number } = {},
): Promise<ProvisionedQueue> {
  return ensureQueue(sqs, {
    name: `q-${randomUUID()}`,
    visibilityTimeoutSeconds: options.visibility ?? 30,
    deadLetter: { maxReceiveCount: options.maxReceiveCount ?? 5 },
  });
}

async function send(q: ProvisionedQueue, ...bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
  }
}

function counts(name: string): { ready: number; inflight: number } {
  const state = local.server.inspectQueue(name);
  return { ready: state?.messages.ready.length ?? -1, inflight: state?.messages.inflight.length ?? -1 };
}

describe('SqsEventSourceMapping', () => {
  const mappings: SqsEventSourceMapping[] = [];
  const start = (
    q: ProvisionedQueue,
    invoker: RecordingInvoker,
    options: Partial<SqsEventSourceMappingOptions> = {},
  ): SqsEventSourceMapping => {
    const mapping = new SqsEventSourceMapping({
      sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      functionId: 'test.consumer',
      invoker,
      waitTimeSeconds: 1,
      log: () => {},
      ...options,
    });
    mappings.push(mapping);
    mapping.start();
    return mapping;
  };

  beforeAll(async () => {
    const { endpoint } = await local.start();
    sqs = new SQSClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterEach(async () => {
    await Promise.all(mappings.splice(0).map((m) => m.stop()));
  });

  afterAll(async () => {
    sqs.destroy();
    await local.stop();
  });

  it('hands the function SQS events that parse with the Powertools SqsSchema and carry AWS record fields', async () => {
    const q = await queue();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: '{"hello":"world"}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'greeting' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    const invoker = new RecordingInvoker();

    start(q, invoker);

    await vi.waitFor(() => expect(invoker.events).toHaveLength(1), { timeout: 5_000 });
    const event = invoker.events[0] as SqsEvent;
    expect(SqsSchema.safeParse(event).error).toBeUndefined();
    expect(invoker.functionIds).toEqual(['test.consumer']);
    const [record] = event.Records;
    expect(record).toMatchObject({
      body: '{"hello":"world"}',
      md5OfBody: createHash('md5').update('{"hello":"world"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: 'eu-west-1',
      messageAttributes: {
        kind: { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(record?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(record?.attributes ?? {}).sort()).toEqual([
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'SenderId',
      'SentTimestamp',
    ]);
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
  });

  it('deletes the whole batch when the function succeeds', async () => {
    const q = await queue();
    await send(q, 'a', 'b', 'c');
    const invoker = new RecordingInvoker(() => succeed(null));

    const mapping = start(q, invoker);

    await vi.waitFor(() => expect(bodiesOf(invoker).flat().sort()).toEqual(['a', 'b', 'c']), {
      timeout: 5_000,
    });
    await vi.waitFor(() => expect(counts(q.name)).toEqual({ ready: 0, inflight: 0 }), { timeout: 5_000 });
    expect(mapping.stats().deleted).toBe(3);
  });

  it('deletes all but the reported failures, which come back after the visibility timeout and end in the DLQ', async () => {
    const q = await queue({ visibility: 1, maxReceiveCount: 2 });
    await send(q, 'ok-1', 'bad', 'ok-2');
    const invoker = new RecordingInvoker((event) =>
      succeed({
        batchItemFailures: (event as SqsEvent).Records.filter((r) => r.body === 'bad').map((r) => ({
          itemIdentifier: r.messageId,
        })),
      }),
    );

    start(q, invoker);

    await vi.waitFor(() => expect(counts(q.deadLetter?.name ?? '').ready).toBe(1), { timeout: 10_000 });
    const received = bodiesOf(invoker).flat();
    expect(received.filter((b) => b === 'bad')).toHaveLength(2);
    expect(received.filter((b) => b.startsWith('ok')).sort()).toEqual(['ok-1', 'ok-2']);
    expect(counts(q.name)).toEqual({ ready: 0, inflight: 0 });
    const second = (invoker.events as SqsEvent[])
      .flatMap((e) => e.Records)
      .filter((r) => r.body === 'bad')[1];
    expect(second?.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('keeps the whole batch when the function throws or times out', async () => {
    const q = await queue({ visibility: 1 });
    await send(q, 'a', 'b');
    const invoker = new RecordingInvoker((_, call) =>
      call === 1 ? fail('Sandbox.Timedout', 'Task timed out') : succeed(),
    );

    start(q, invoker);

    await vi.waitFor(() => expect(invoker.events.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await vi.waitFor(() => expect(counts(q.name)).toEqual({ ready: 0, inflight: 0 }), { timeout: 5_000 });
    const [first, second] = bodiesOf(invoker);
    expect(first?.sort()).toEqual(['a', 'b']);
    expect(second?.sort()).toEqual(['a', 'b']);
    expect(
      (invoker.events[1] as SqsEvent).Records.every((r) => r.attributes.ApproximateReceiveCount === '2'),
    ).toBe(true);
  });

  it.each([
    [
      'an itemIdentifier that is not in the batch',
      { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] },
    ],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a string instead of an EventResponse', 'OK'],
  ])('keeps the whole batch when the response has %s', async (_, response) => {
    const q = await queue({ visibility: 1 });
    await send(q, 'a', 'b');
    const invoker = new RecordingInvoker((_event, call) => (call === 1 ? succeed(response) : succeed()));

    start(q, invoker);

    await vi.waitFor(() => expect(counts(q.name)).toEqual({ ready: 0, inflight: 0 }), { timeout: 10_000 });
    const [first, second] = bodiesOf(invoker);
    expect(first?.sort()).toEqual(['a', 'b']);
    expect(second?.sort()).toEqual(['a', 'b']);
  });

  it('ignores the response and deletes everything when ReportBatchItemFailures is off', async () => {
    const q = await queue({ visibility: 1 });
    await send(q, 'a');
    const invoker = new RecordingInvoker(() => succeed({ batchItemFailures: [{ itemIdentifier: '' }] }));

    const mapping = start(q, invoker, { reportBatchItemFailures: false });

    await vi.waitFor(() => expect(mapping.stats().deleted).toBe(1), { timeout: 5_000 });
    expect(counts(q.name)).toEqual({ ready: 0, inflight: 0 });
  });

  it('never puts more messages in one invocation than the batch size', async () => {
    const q = await queue();
    await send(q, 'a', 'b', 'c', 'd', 'e');
    const invoker = new RecordingInvoker();

    start(q, invoker, { batchSize: 2, maxConcurrency: 1 });

    await vi.waitFor(() => expect(bodiesOf(invoker).flat()).toHaveLength(5), { timeout: 5_000 });
    expect(bodiesOf(invoker).every((batch) => batch.length <= 2)).toBe(true);
  });

  it('gathers messages arriving within the batching window into one invocation', async () => {
    const q = await queue();
    const invoker = new RecordingInvoker();
    const mapping = start(q, invoker, { batchSize: 5, maxBatchingWindowSeconds: 1, maxConcurrency: 1 });

    await send(q, 'first');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await send(q, 'second', 'third');

    await vi.waitFor(() => expect(mapping.stats().deleted).toBe(3), { timeout: 5_000 });
    expect(bodiesOf(invoker)).toEqual([['first', 'second', 'third']]);
  });

  it('adds pollers while a backlog lasts, never more than its maximum concurrency', async () => {
    const q = await queue();
    await send(q, ...Array.from({ length: 60 }, (_, i) => `m${i}`));
    let running = 0;
    let peak = 0;
    const invoker = new RecordingInvoker(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running--;
      return succeed();
    });

    const mapping = start(q, invoker, { batchSize: 2, maxConcurrency: 3 });

    await vi.waitFor(() => expect(mapping.stats().deleted).toBe(60), { timeout: 10_000 });
    expect(peak).toBe(3);
    expect(mapping.stats().peakPollers).toBe(3);
    await vi.waitFor(() => expect(mapping.stats().pollers).toBe(1), { timeout: 5_000 });
  });

  it('stops promptly while a long poll is waiting', async () => {
    const q = await queue();
    const mapping = start(q, new RecordingInvoker(), { waitTimeSeconds: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = performance.now();
    await mapping.stop();

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(mapping.stats().pollers).toBe(0);
  });
});

describe('SqsEventSourceMapping with the Lambda runtime', () => {
  const buildDir = path.resolve(import.meta.dirname, '../../../.quanta/build', `test-sqs-${randomUUID()}`);
  const server = new SqsLocal();
  let client: SQSClient;
  let runtime: LambdaRuntime | undefined;
  let mapping: SqsEventSourceMapping | undefined;

  beforeAll(async () => {
    const { endpoint } = await server.start();
    client = new SQSClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    await mapping?.stop();
    await runtime?.stop();
    client.destroy();
    await server.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  it('feeds a real function that reaches SQS through its environment and reports partial failures', async () => {
    const inbox = await ensureQueue(client, {
      name: 'inbox',
      visibilityTimeoutSeconds: 1,
      deadLetter: { maxReceiveCount: 1 },
    });
    const forwarded = await ensureQueue(client, { name: 'forwarded' });
    runtime = new LambdaRuntime({
      buildDir,
      logSink: () => {},
      baseEnvironment: { AWS_ENDPOINT_URL_SQS: server.endpoint },
      functions: [
        {
          id: 'test.forwarder',
          entry: path.join(import.meta.dirname, 'fixtures', 'forwardingHandler.ts'),
          environment: { FORWARD_QUEUE_URL: forwarded.url },
        },
      ],
    });
    await runtime.start();
    const rt = runtime;
    const invoker = new RecordingInvoker((event) => rt.invoke('test.forwarder', event));
    for (const body of ['one', 'please fail', 'two']) {
      await client.send(new SendMessageCommand({ QueueUrl: inbox.url, MessageBody: body }));
    }

    mapping = new SqsEventSourceMapping({
      sqs: client,
      queueUrl: inbox.url,
      queueArn: inbox.arn,
      functionId: 'test.forwarder',
      invoker,
      waitTimeSeconds: 1,
      log: () => {},
    });
    mapping.start();

    await vi.waitFor(
      () => expect(server.server.inspectQueue(inbox.deadLetter?.name ?? '')?.messages.ready).toHaveLength(1),
      {
        timeout: 10_000,
      },
    );
    const { Messages: out } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: forwarded.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect((out ?? []).map((m) => m.Body).sort()).toEqual(['one', 'two']);
    expect(server.server.inspectQueue(inbox.deadLetter?.name ?? '')?.messages.ready[0]?.body).toBe(
      'please fail',
    );
    for (const event of invoker.events) expect(SqsSchema.safeParse(event).error).toBeUndefined();
  });
});
