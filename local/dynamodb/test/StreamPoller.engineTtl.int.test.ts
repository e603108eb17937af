import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingInvoker } from '../../lambda/test/RecordingInvoker';
import type { StreamEvent } from '../StreamEventRecord';
import { StreamPoller } from '../StreamPoller';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/ttltest/stream/2026-12-02T03:22:36.656';
const image = { sk: { S: 'i' }, pk: { S: 'a' }, expiresAt: { N: '1796181746' } };

/** GetRecords as DynamoDB Local (2026-05-28) answered it for an item its own TTL deleted (recorded). */
const ENGINE_RECORDS = [
  {
    eventID: '09a05d7c-3a99-43f6-a2a8-d200ef26bb25',
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: 1796181720.0,
      Keys: { sk: { S: 'i' }, pk: { S: 'a' } },
      NewImage: image,
      SequenceNumber: '000000000000000000001',
      SizeBytes: 27,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  },
  {
    eventID: 'cba5df31-5338-43c3-8fd5-ce12519c5d44',
    eventName: 'UNKNOWN_TO_SDK_VERSION',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: 1796181720.0,
      Keys: { sk: { S: 'i' }, pk: { S: 'a' } },
      OldImage: image,
      SequenceNumber: '000000000000000000002',
      SizeBytes: 27,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  },
];

/** A Streams endpoint that serves one shard holding ENGINE_RECORDS, then nothing new. */
function replayEngine(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target']).split('.')[1];
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { ShardIterator?: string };
      const answer =
        target === 'DescribeStream'
          ? {
              StreamDescription: {
                StreamArn: STREAM_ARN,
                StreamStatus: 'ENABLED',
                StreamViewType: 'NEW_AND_OLD_IMAGES',
                TableName: 'ttltest',
                Shards: [{ ShardId: 'shardId-1', SequenceNumberRange: { StartingSequenceNumber: '1' } }],
              },
            }
          : target === 'GetShardIterator'
            ? { ShardIterator: 'first' }
            : { Records: body.ShardIterator === 'first' ? ENGINE_RECORDS : [], NextShardIterator: 'next' };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('StreamPoller on DynamoDB Local', () => {
  it("delivers the engine's own TTL deletions as REMOVE records by the service, as AWS writes them", async () => {
    const engine = await replayEngine();
    const streams = new DynamoDBStreamsClient({
      endpoint: engine.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const invoker = new RecordingInvoker();
    const poller = new StreamPoller({ streams, streamArn: STREAM_ARN, functionId: 'test.ttl', invoker });
    cleanup = async () => {
      await poller.stop();
      streams.destroy();
      await engine.close();
    };
    poller.start();

    const records = () => (invoker.events as StreamEvent[]).flatMap((e) => e.Records);
    await vi.waitFor(() => expect(records()).toHaveLength(2), { timeout: 5_000 });
    const [insert, remove] = records();

    expect(insert?.eventName).toBe('INSERT');
    expect(insert?.userIdentity).toBeUndefined();
    expect(remove?.eventName).toBe('REMOVE');
    expect(remove?.dynamodb.OldImage).toEqual(image);
    expect(remove?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });
});
