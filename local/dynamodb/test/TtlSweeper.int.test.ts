import { randomUUID } from 'node:crypto';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { RecordingInvoker } from '../../lambda/test/RecordingInvoker';
import { ensureTable } from '../ensureTable';
import type { StreamEvent } from '../StreamEventRecord';
import { StreamPoller } from '../StreamPoller';
import { TtlDeletionLog } from '../TtlDeletionLog';
import { TtlSweeper } from '../TtlSweeper';

const aws = {
  endpoint: inject('dynamodbEndpoint'),
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const client = new DynamoDBClient(aws);
const streams = new DynamoDBStreamsClient(aws);
const nowSeconds = Math.floor(Date.now() / 1000);

async function ttlTable(stream = false): Promise<{ tableName: string; streamArn?: string }> {
  const tableName = `ttl-${randomUUID()}`;
  const table = await ensureTable(client, {
    tableName,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    ttlAttribute: 'expiresAt',
    ...(stream ? { stream: 'NEW_IMAGE' as const } : {}),
  });
  return table;
}

async function put(tableName: string, pk: string, expiresAt?: { N: string } | { S: string }): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: pk }, sk: { S: 'item' }, ...(expiresAt === undefined ? {} : { expiresAt }) },
    }),
  );
}

async function keysIn(tableName: string): Promise<string[]> {
  const { Items } = await client.send(new ScanCommand({ TableName: tableName }));
  return (Items ?? []).map((i) => i.pk?.S ?? '').sort();
}

describe('TtlSweeper', () => {
  afterAll(() => {
    client.destroy();
    streams.destroy();
  });

  // DynamoDB Local deletes items expired by its own clock, usually within a second (StreamPoller's
  // ENGINE_TTL_DELETION), so the sweeper's own deletions are tested with expiries the engine still
  // sees in the future, and a sweeper clock ten minutes ahead.
  const sweeperNow = () => (nowSeconds + 600) * 1000;

  it('deletes expired items and keeps fresh, untimed, non-numeric and more than five years old ones', async () => {
    const { tableName } = await ttlTable();
    await put(tableName, 'expired', { N: String(nowSeconds + 590) });
    await put(tableName, 'future', { N: String(nowSeconds + 3600) });
    await put(tableName, 'untimed');
    await put(tableName, 'text', { S: String(nowSeconds - 10) });
    await put(tableName, 'ancient', { N: String(nowSeconds - 6 * 365 * 24 * 3600) });
    const sweeper = new TtlSweeper({
      client,
      tables: [{ tableName, ttlAttribute: 'expiresAt' }],
      now: sweeperNow,
    });

    const { deleted } = await sweeper.sweep();

    expect(deleted).toBe(1);
    expect(await keysIn(tableName)).toEqual(['ancient', 'future', 'text', 'untimed']);
  });

  it('finds the tables with TTL enabled by itself when none are configured', async () => {
    const { tableName } = await ttlTable();
    await put(tableName, 'expired', { N: String(nowSeconds + 590) });
    await put(tableName, 'kept', { N: String(nowSeconds + 660) });
    const sweeper = new TtlSweeper({ client, now: sweeperNow });

    await sweeper.sweep();

    expect(await keysIn(tableName)).toEqual(['kept']);
  });

  it('sweeps on its interval once started, using its clock', async () => {
    const { tableName } = await ttlTable();
    await put(tableName, 'soon', { N: String(nowSeconds + 30) });
    const sweeper = new TtlSweeper({
      client,
      tables: [{ tableName, ttlAttribute: 'expiresAt' }],
      intervalMs: 50,
      now: () => (nowSeconds + 60) * 1000,
    });

    sweeper.start();
    await vi.waitFor(async () => expect(await keysIn(tableName)).toEqual([]), { timeout: 5_000 });
    await sweeper.stop();
  });

  it('makes its deletions appear on the stream as REMOVE records marked as TTL deletions', async () => {
    const { tableName, streamArn } = await ttlTable(true);
    if (streamArn === undefined) throw new Error('no stream');
    const deletionLog = new TtlDeletionLog();
    await put(tableName, 'expired', { N: String(nowSeconds + 590) });
    await put(tableName, 'deleted-by-user');
    const invoker = new RecordingInvoker();
    const poller = new StreamPoller({
      streams,
      streamArn,
      functionId: 'test.ttl',
      invoker,
      pollIntervalMs: 50,
      ttlDeletions: deletionLog,
    });
    poller.start();

    await new TtlSweeper({
      client,
      tables: [{ tableName, ttlAttribute: 'expiresAt' }],
      deletionLog,
      now: sweeperNow,
    }).sweep();
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'deleted-by-user' }, sk: { S: 'item' } },
      }),
    );

    const removes = () =>
      (invoker.events as StreamEvent[]).flatMap((e) => e.Records).filter((r) => r.eventName === 'REMOVE');
    await vi.waitFor(() => expect(removes()).toHaveLength(2), { timeout: 10_000 });
    await poller.stop();
    const [ttlRemove, userRemove] = removes();
    expect(ttlRemove?.dynamodb.Keys).toEqual({ pk: { S: 'expired' }, sk: { S: 'item' } });
    expect(ttlRemove?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(userRemove?.userIdentity).toBeUndefined();
    for (const event of invoker.events) expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
  });
});
