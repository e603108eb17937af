import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { LambdaRuntime } from '../../lambda/LambdaRuntime';
import { fail, RecordingInvoker, succeed } from '../../lambda/test/RecordingInvoker';
import { ensureTable } from '../ensureTable';
import type { StreamEvent } from '../StreamEventRecord';
import type { StreamBatchFailure, StreamPollerOptions } from '../StreamPoller';
import { StreamPoller } from '../StreamPoller';

const aws = {
  endpoint: inject('dynamodbEndpoint'),
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const dynamodb = new DynamoDBClient(aws);
const streams = new DynamoDBStreamsClient(aws);

async function streamTable(): Promise<{ tableName: string; streamArn: string }> {
  const tableName = `stream-${randomUUID()}`;
  const { streamArn } = await ensureTable(dynamodb, {
    tableName,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    ttlAttribute: 'expiresAt',
    stream: 'NEW_IMAGE',
  });
  if (streamArn === undefined) throw new Error('no stream');
  return { tableName, streamArn };
}

async function put(tableName: string, pk: string, extra: Record<string, unknown> = {}): Promise<void> {
  const item: Record<string, { S: string } | { BOOL: boolean }> = { pk: { S: pk }, sk: { S: 'item' } };
  for (const [name, value] of Object.entries(extra)) {
    item[name] = typeof value === 'boolean' ? { BOOL: value } : { S: String(value) };
  }
  await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

/** A streams client that notes the time of each `GetRecords` it sends in `polls`. */
function pollCountingStreams(polls: number[]): DynamoDBStreamsClient {
  const client = new DynamoDBStreamsClient(aws);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetRecordsCommand') polls.push(performance.now());
      return next(args);
    },
    { step: 'initialize' },
  );
  return client;
}

const recordsOf = (invoker: RecordingInvoker): StreamEvent['Records'][number][] =>
  (invoker.events as StreamEvent[]).flatMap((e) => e.Records);
const batchKeys = (invoker: RecordingInvoker): string[][] =>
  (invoker.events as StreamEvent[]).map((e) => e.Records.map((r) => (r.dynamodb.Keys.pk as { S: string }).S));

describe('StreamPoller', () => {
  const pollers: StreamPoller[] = [];
  const startPoller = (
    options: Omit<StreamPollerOptions, 'streams' | 'functionId' | 'pollIntervalMs'>,
  ): StreamPoller => {
    const poller = new StreamPoller({
      streams,
      functionId: 'test.stream',
      pollIntervalMs: 50,
      retryDelayMs: 20,
      ...options,
    });
    pollers.push(poller);
    poller.start();
    return poller;
  };

  /** A poller on a new table, through a streams client that notes the time of each `GetRecords`. */
  const startCountedPoller = async (
    options: Pick<StreamPollerOptions, 'pollIntervalMs' | 'idleAfterMs' | 'idlePollIntervalMs'>,
  ) => {
    const { tableName, streamArn } = await streamTable();
    const polls: number[] = [];
    const counted = pollCountingStreams(polls);
    const invoker = new RecordingInvoker();
    const poller = new StreamPoller({
      streams: counted,
      streamArn,
      functionId: 'test.counted',
      invoker,
      ...options,
    });
    pollers.push(poller);
    poller.start();
    return { tableName, poller, polls, counted, invoker };
  };

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
  });

  afterAll(() => {
    dynamodb.destroy();
    streams.destroy();
  });

  it('delivers INSERT, MODIFY and REMOVE records in order, shaped like a DynamoDBStreamEvent', async () => {
    const { tableName, streamArn } = await streamTable();
    const invoker = new RecordingInvoker();
    startPoller({ streamArn, invoker });

    await put(tableName, 'a', { name: 'first' });
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'a' }, sk: { S: 'item' } },
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': { S: 'second' } },
      }),
    );
    await dynamodb.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'a' }, sk: { S: 'item' } } }),
    );

    await vi.waitFor(() => expect(recordsOf(invoker)).toHaveLength(3), { timeout: 10_000 });
    const records = recordsOf(invoker);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records[1]).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { pk: { S: 'a' }, sk: { S: 'item' } },
        NewImage: { pk: { S: 'a' }, sk: { S: 'item' }, name: { S: 'second' } },
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(records[2]?.dynamodb.NewImage).toBeUndefined();
    expect(typeof records[0]?.dynamodb.ApproximateCreationDateTime).toBe('number');
    const sequence = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);
    for (const event of invoker.events) expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    expect(invoker.functionIds.every((id) => id === 'test.stream')).toBe(true);
  });

  it('polls a shard at most once per poll interval, so records written meanwhile arrive together', async () => {
    const { tableName, poller, polls, counted, invoker } = await startCountedPoller({
      pollIntervalMs: 200,
    });

    for (let i = 0; i < 20; i++) {
      await put(tableName, `item-${String(i).padStart(2, '0')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await vi.waitFor(() => expect(recordsOf(invoker)).toHaveLength(20), { timeout: 10_000 });
    await poller.stop();
    counted.destroy();

    expect(batchKeys(invoker).flat()).toEqual(
      Array.from({ length: 20 }, (_, i) => `item-${String(i).padStart(2, '0')}`),
    );
    const gaps = polls.slice(1).map((at, i) => at - (polls[i] as number));
    // A timer may fire a millisecond early; never a whole poll sooner.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(195);
  });

  it('polls a shard that found nothing for a while at the idle rate, and wake() brings its next poll forward', async () => {
    const { tableName, poller, polls, counted, invoker } = await startCountedPoller({
      pollIntervalMs: 50,
      idleAfterMs: 500,
      // Longer than the test: a record can only arrive in time through wake().
      idlePollIntervalMs: 60_000,
    });

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beforeIdle = polls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const whileIdle = polls.length - beforeIdle;
    await put(tableName, 'written-while-idle');
    poller.wake();
    await vi.waitFor(() => expect(recordsOf(invoker)).toHaveLength(1), { timeout: 10_000 });
    await poller.stop();
    counted.destroy();

    expect(beforeIdle).toBeGreaterThanOrEqual(3);
    expect(whileIdle).toBe(0);
    expect(batchKeys(invoker)).toEqual([['written-while-idle']]);
  });

  it('never puts more records in one invocation than the batch size', async () => {
    const { tableName, streamArn } = await streamTable();
    for (const pk of ['a', 'b', 'c', 'd', 'e']) await put(tableName, pk);
    const invoker = new RecordingInvoker();

    startPoller({ streamArn, invoker, batchSize: 2 });

    await vi.waitFor(() => expect(recordsOf(invoker)).toHaveLength(5), { timeout: 10_000 });
    expect(batchKeys(invoker)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('skips the records its filter rejects and never invokes for them', async () => {
    const { tableName, streamArn } = await streamTable();
    const invoker = new RecordingInvoker();
    startPoller({
      streamArn,
      invoker,
      filter: (record) =>
        record.eventName === 'INSERT' && (record.dynamodb.NewImage?.kind as { S?: string })?.S === 'outbox',
    });

    await put(tableName, 'state-1', { kind: 'state' });
    await put(tableName, 'outbox-1', { kind: 'outbox' });
    await put(tableName, 'state-2', { kind: 'state' });
    await put(tableName, 'outbox-2', { kind: 'outbox' });

    await vi.waitFor(
      () =>
        expect(recordsOf(invoker).map((r) => r.dynamodb.Keys.pk)).toEqual([
          { S: 'outbox-1' },
          { S: 'outbox-2' },
        ]),
      {
        timeout: 10_000,
      },
    );
  });

  it('retries from the lowest failed sequence number when the function reports batch item failures', async () => {
    const { tableName, streamArn } = await streamTable();
    for (const pk of ['a', 'b', 'c', 'd']) await put(tableName, pk);
    const invoker = new RecordingInvoker((event, call) => {
      const records = (event as StreamEvent).Records;
      if (call > 1) return succeed({ batchItemFailures: [] });
      // c fails, and b: the checkpoint goes before b, the lowest of them.
      return succeed({
        batchItemFailures: [records[2], records[1]].map((r) => ({
          itemIdentifier: r?.dynamodb.SequenceNumber,
        })),
      });
    });

    const poller = startPoller({ streamArn, invoker, batchSize: 10 });

    await vi.waitFor(() => expect(invoker.events).toHaveLength(2), { timeout: 10_000 });
    await poller.whenIdle();
    expect(batchKeys(invoker)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'c', 'd'],
    ]);
  });

  it('retries the whole batch when the function fails, then sends it to the on-failure destination and moves on', async () => {
    const { tableName, streamArn } = await streamTable();
    await put(tableName, 'poison');
    const failures: StreamBatchFailure[] = [];
    const invoker = new RecordingInvoker((event) =>
      (event as StreamEvent).Records.some((r) => (r.dynamodb.Keys.pk as { S: string }).S === 'poison')
        ? fail('Error', 'cannot')
        : succeed(),
    );

    startPoller({ streamArn, invoker, maxRetryAttempts: 2, onFailure: (f) => void failures.push(f) });
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 10_000 });
    await put(tableName, 'next');

    await vi.waitFor(() => expect(batchKeys(invoker).at(-1)).toEqual(['next']), { timeout: 10_000 });
    expect(batchKeys(invoker)).toEqual([['poison'], ['poison'], ['poison'], ['next']]);
    expect(failures[0]).toMatchObject({
      functionId: 'test.stream',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
      reason: 'Error: cannot',
      DDBStreamBatchInfo: { batchSize: 1, streamArn },
    });
    expect(failures[0]?.DDBStreamBatchInfo.startSequenceNumber).toBe(
      failures[0]?.records[0]?.dynamodb.SequenceNumber,
    );
  });

  it('treats an invalid partial batch response as a failure of the whole batch', async () => {
    const { tableName, streamArn } = await streamTable();
    await put(tableName, 'a');
    await put(tableName, 'b');
    const invoker = new RecordingInvoker((_, call) =>
      call === 1 ? succeed({ batchItemFailures: [{ itemIdentifier: '' }] }) : succeed({}),
    );

    const poller = startPoller({ streamArn, invoker });

    await vi.waitFor(() => expect(invoker.events).toHaveLength(2), { timeout: 10_000 });
    await poller.whenIdle();
    expect(batchKeys(invoker)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('starts from new records only when its starting position is LATEST', async () => {
    const { tableName, streamArn } = await streamTable();
    await put(tableName, 'old');
    const invoker = new RecordingInvoker();
    const poller = startPoller({ streamArn, invoker, startingPosition: 'LATEST' });
    await poller.whenIdle();

    await put(tableName, 'new');

    await vi.waitFor(() => expect(batchKeys(invoker)).toEqual([['new']]), { timeout: 10_000 });
  });
});

describe('StreamPoller with the Lambda runtime', () => {
  const buildDir = path.resolve(import.meta.dirname, '../../../.quanta/build', `test-stream-${randomUUID()}`);
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    runtime = new LambdaRuntime({
      buildDir,
      logSink: () => {},
      functions: [
        { id: 'test.relay', entry: path.join(import.meta.dirname, 'fixtures', 'streamHandler.ts') },
      ],
    });
    await runtime.start();
  });

  afterAll(async () => {
    await runtime.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  it('hands a real function events that parse with the Powertools DynamoDBStreamSchema and honours its partial failures', async () => {
    const { tableName, streamArn } = await streamTable();
    const invoker = new RecordingInvoker((event) => runtime.invoke('test.relay', event));
    const failures: StreamBatchFailure[] = [];
    await put(tableName, 'ok-1');
    await put(tableName, 'poison', { fail: true });
    await put(tableName, 'ok-2');
    const poller = new StreamPoller({
      streams,
      streamArn,
      functionId: 'test.relay',
      invoker,
      pollIntervalMs: 50,
      retryDelayMs: 20,
      maxRetryAttempts: 1,
      onFailure: (f) => void failures.push(f),
    });

    poller.start();
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 15_000 });
    await poller.stop();

    expect(batchKeys(invoker)).toEqual([
      ['ok-1', 'poison', 'ok-2'],
      ['poison', 'ok-2'],
    ]);
    expect(failures[0]?.records.map((r) => r.dynamodb.Keys.pk)).toEqual([{ S: 'poison' }, { S: 'ok-2' }]);
    for (const event of invoker.events) {
      const parsed = DynamoDBStreamSchema.safeParse(event);
      expect(parsed.error).toBeUndefined();
    }
  });
});
