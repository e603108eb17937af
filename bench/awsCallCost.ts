import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startLocalSqs } from '@quanta/runtime/testing/sqs';
import { DynamoDbLocal } from '../local/dynamodb/DynamoDbLocal';
import { emit } from './lib/emit';
import { CALL_COST_ROWS, type CallCost } from './lib/orderCallFloor';
import { round } from './lib/percentile';
import { treeCpuMs } from './lib/processTree';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'eu-west-1';
const TABLE = 'bench-calls';

/**
 * What one AWS SDK call costs on this machine against the local cloud's own engines, in the CPU
 * of the caller and of the engine: the floor under every row that counts calls (an order makes
 * about twenty, see `orders_calls`). Each call runs in one warm process, 8 at a time, after a
 * warm-up, with the clients and engines the local cloud uses (DynamoDB Local with its JVM options,
 * fauxqs in this process, as on the cloud's main thread), so these are best cases: a function's
 * worker is a separate isolate, warmed by its own traffic only. `http_roundtrip` is a bare
 * node:http request and answer on the same loopback, without the SDK, for scale.
 *
 * - `caller_cpu_ms`: this process per call (for SQS, fauxqs's side as well: it runs here);
 * - `engine_cpu_ms`: DynamoDB Local's JVM per call (0 for SQS and the bare round trip).
 *
 * Returns the same costs by row name, for `order_call_floor`.
 */
export async function awsCallCost(options: {
  calls: number;
  warmup: number;
}): Promise<Map<string, CallCost>> {
  const costs = new Map<string, CallCost>();
  const dynamodb = new DynamoDbLocal();
  const { endpoint, pid } = await dynamodb.start();
  const fauxqs = await startLocalSqs({ port: 0, logger: false });
  const bare = http.createServer((_req, res) => res.end('{}'));
  try {
    const measure = async (call: string, send: () => Promise<unknown>, enginePid?: number) => {
      for (let i = 0; i < options.warmup; i++) await send();
      const caller = process.cpuUsage();
      const engine = enginePid === undefined ? 0 : treeCpuMs(enginePid);
      const started = performance.now();
      let left = options.calls;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (left-- > 0) await send();
        }),
      );
      const elapsed = performance.now() - started;
      const { user, system } = process.cpuUsage(caller);
      const cost = {
        callerCpuMs: round((user + system) / 1000 / options.calls, 3),
        engineCpuMs: enginePid === undefined ? 0 : round((treeCpuMs(enginePid) - engine) / options.calls, 3),
      };
      costs.set(call, cost);
      emit({
        bench: 'aws_call_cost',
        call,
        calls: options.calls,
        calls_per_s: round((options.calls / elapsed) * 1000, 0),
        caller_cpu_ms: cost.callerCpuMs,
        engine_cpu_ms: cost.engineCpuMs,
      });
    };

    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const agent = new http.Agent({ keepAlive: true });
    const { port } = bare.address() as AddressInfo;
    await measure(
      'http_roundtrip',
      () =>
        new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve))
            .on('error', reject);
        }),
    );
    agent.destroy();

    // A table like the quanta's: string keys, a stream of new and old images.
    const ddb = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
    const { TableDescription } = await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const item = (pk: string, sk: string) => ({
      pk: { S: pk },
      sk: { S: sk },
      status: { S: 'PENDING' },
      payload: { S: 'x'.repeat(300) },
      stock: { N: '1000000' },
    });
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: item('product', 'A') }));
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: item('product', 'B') }));
    let n = 0;
    await measure(
      CALL_COST_ROWS.getItem,
      () => ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'product' }, sk: { S: 'A' } } })),
      pid,
    );
    await measure(
      CALL_COST_ROWS.query,
      () =>
        ddb.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'product' } },
            ConsistentRead: true,
          }),
        ),
      pid,
    );
    await measure(
      CALL_COST_ROWS.putItem,
      () => ddb.send(new PutItemCommand({ TableName: TABLE, Item: item('order', String(n++)) })),
      pid,
    );
    // A saga step: a conditional decrement and a new item that must not exist, atomically.
    await measure(
      CALL_COST_ROWS.transactWriteItems,
      () =>
        ddb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: TABLE,
                  Key: { pk: { S: 'product' }, sk: { S: 'B' } },
                  UpdateExpression: 'SET stock = stock - :one',
                  ConditionExpression: 'stock >= :one',
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                },
              },
              {
                Put: {
                  TableName: TABLE,
                  Item: item('reservation', String(n++)),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        ),
      pid,
    );
    // The stream poller's read once it has caught up: the shard's latest position, nothing new.
    const streams = new DynamoDBStreamsClient({ endpoint, region: REGION, credentials: CREDENTIALS });
    const shardId = await firstShardOf(streams, TableDescription?.LatestStreamArn ?? '');
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: TableDescription?.LatestStreamArn,
          ShardId: shardId,
          ShardIteratorType: 'LATEST',
        }),
      )
    ).ShardIterator;
    await measure(
      CALL_COST_ROWS.getRecords,
      async () => {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
        iterator = out.NextShardIterator;
      },
      pid,
    );

    const sqs = new SQSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-calls' }));
    const body = JSON.stringify({ type: 'ReserveStock', payload: 'x'.repeat(300) });
    await measure(CALL_COST_ROWS.sendMessage, () =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body })),
    );
    // Received and deleted in pairs, as an event source mapping does: the messages the row above
    // sent are exactly as many as this one receives.
    await measure(CALL_COST_ROWS.receiveAndDelete, async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) throw new Error('the queue ran dry: a receive found no message');
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    });
  } finally {
    bare.close();
    await fauxqs.stop();
    await dynamodb.stop();
  }
  return costs;
}

async function firstShardOf(streams: DynamoDBStreamsClient, streamArn: string): Promise<string> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription?.Shards?.[0]?.ShardId;
  if (shardId === undefined) throw new Error(`no shard in ${streamArn}`);
  return shardId;
}
