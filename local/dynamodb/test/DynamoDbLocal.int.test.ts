import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { listeningSockets } from '../../test/fixtures/listeningSockets';
import { DEFAULT_JVM_OPTIONS, DynamoDbLocal } from '../DynamoDbLocal';
import { DynamoDbLocalStartError } from '../errors';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DynamoDbLocal', () => {
  // Any JVM a failed test could leave behind, killed by its pid.
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('starts on a free port of 127.0.0.1 only without telemetry, answers DynamoDB calls and leaves no process behind after stop', async () => {
    const dynamodb = new DynamoDbLocal();

    const info = await dynamodb.start();
    started.push(info.pid);
    const client = new DynamoDBClient({
      endpoint: info.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const tables = await client.send(new ListTablesCommand({}));
    client.destroy();
    const jvmEnvironment = (await readFile(`/proc/${info.pid}/environ`, 'utf8')).split('\0');
    const bound = listeningSockets()
      .filter((s) => s.port === info.port)
      .map((s) => s.address);
    await dynamodb.stop();

    expect(info.endpoint).toBe(`http://127.0.0.1:${info.port}`);
    expect(info.startMs).toBeGreaterThan(0);
    expect(tables.TableNames).toEqual([]);
    expect(bound).toEqual(['127.0.0.1']);
    expect(isAlive(info.pid)).toBe(false);
    expect(dynamodb.pid).toBeUndefined();
    expect(jvmEnvironment).toContain('DDB_LOCAL_TELEMETRY=0');
    expect(jvmEnvironment).toContain(`JDK_JAVA_OPTIONS=${DEFAULT_JVM_OPTIONS.join(' ')}`);
    expect(process.env.DDB_LOCAL_TELEMETRY).toBeUndefined();
    expect(process.env.JDK_JAVA_OPTIONS).toBeUndefined();
  });

  it('indexes stream records by shard, plans GetRecords by sequence number before it answers, and a stream still reads back its own writes in order', async () => {
    const lines: string[] = [];
    const dynamodb = new DynamoDbLocal({ logSink: (line) => lines.push(line) });
    const info = await dynamodb.start();
    started.push(info.pid);
    const config = {
      endpoint: info.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    };
    const client = new DynamoDBClient(config);
    const streams = new DynamoDBStreamsClient(config);
    try {
      const tables = ['first', 'second'].map((name) => `indexed-${name}`);
      const arns: string[] = [];
      for (const TableName of tables) {
        const created = await client.send(
          new CreateTableCommand({
            TableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          }),
        );
        arns.push(created.TableDescription?.LatestStreamArn ?? '');
      }
      // Interleaved, so each shard's records sit between the other's in the engine's one table.
      for (const n of [1, 2, 3]) {
        for (const TableName of tables) {
          await client.send(new PutItemCommand({ TableName, Item: { pk: { S: `${TableName}-${n}` } } }));
        }
      }
      const read: string[][] = [];
      for (const StreamArn of arns) {
        const stream = await streams.send(new DescribeStreamCommand({ StreamArn }));
        const ShardId = stream.StreamDescription?.Shards?.[0]?.ShardId;
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
        read.push((Records ?? []).map((r) => r.dynamodb?.Keys?.pk?.S ?? ''));
      }

      expect(lines).toContain('quanta: stream records indexed by shard');
      expect(read).toEqual(tables.map((t) => [1, 2, 3].map((n) => `${t}-${n}`)));
    } finally {
      client.destroy();
      streams.destroy();
      await dynamodb.stop();
    }
  });

  it('kills the JVM when the process that started it dies from SIGKILL', async () => {
    const fixture = path.join(import.meta.dirname, 'fixtures', 'startDynamoDbLocal.ts');
    const host = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: host.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const { pid } = JSON.parse(first) as { pid: number };
    started.push(pid);
    expect(isAlive(pid)).toBe(true);

    host.kill('SIGKILL');

    await vi.waitFor(() => expect(isAlive(pid)).toBe(false), { timeout: 5_000, interval: 100 });
  });

  it('launches the JVM without waiting for it to answer, and every start() after is that same start', async () => {
    const dynamodb = new DynamoDbLocal();

    await dynamodb.launch();
    const pid = dynamodb.pid;
    const answering = dynamodb.start();

    expect(pid).toBeDefined();
    started.push(pid ?? -1);
    expect(dynamodb.start()).toBe(answering);
    const info = await answering;
    expect(info.pid).toBe(pid);
    await dynamodb.stop();
    expect(isAlive(info.pid)).toBe(false);
  });

  it('stopped while it starts, waits for its JVM and stops it, leaving none behind', async () => {
    const dynamodb = new DynamoDbLocal();

    const starting = dynamodb.start();
    await dynamodb.stop();

    const { pid } = await starting;
    started.push(pid);
    expect(isAlive(pid)).toBe(false);
    expect(dynamodb.pid).toBeUndefined();
  });

  it('fails with the engine output when the engine exits before answering', async () => {
    const dynamodb = new DynamoDbLocal({
      spawn: () =>
        spawn(process.execPath, ['-e', "console.error('Error: Unable to access jarfile'); process.exit(1)"], {
          stdio: 'pipe',
        }),
    });

    const failure = dynamodb.start();

    await expect(failure).rejects.toBeInstanceOf(DynamoDbLocalStartError);
    await expect(failure).rejects.toThrow(/exited \(code 1.*\n.*Unable to access jarfile/);
  });
});
