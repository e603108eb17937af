import {
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { TableDefinition } from '../manifest/QuantumManifest';

/** The DynamoDB Local a test runs against. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  /** Nothing to stop: the suite's global setup owns the engine and stops it after the run. */
  stop(): Promise<void>;
}

/**
 * The suite's DynamoDB Local: the one engine `test/setup/globalSetup.ts` starts for the whole run
 * (with the local cloud's launcher) and provides as `dynamodbEndpoint`. Tests share it and keep
 * apart by creating uniquely named tables with {@link createTestTable}.
 *
 * @example
 * ```ts
 * const db = await useDynamoDbLocal();
 * const client = dynamoDbClientFor(db.endpoint);
 * ```
 */
export async function useDynamoDbLocal(): Promise<DynamoDbLocal> {
  // `dynamodbEndpoint` is typed by the suite's setup in test/setup/; read it untyped so this kit
  // does not depend on a file outside the package.
  const endpoint = (inject as (key: string) => unknown)('dynamodbEndpoint');
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new Error(
      'No DynamoDB Local: run the tests with the repository vitest config, whose global setup (test/setup/globalSetup.ts) starts one',
    );
  }
  return { endpoint, stop: async () => undefined };
}

/**
 * A client for a DynamoDB Local endpoint (dummy credentials: the engine accepts any).
 *
 * @example
 * ```ts
 * const client = dynamoDbClientFor((await useDynamoDbLocal()).endpoint);
 * ```
 */
export function dynamoDbClientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates a table shaped like a quantum's deployed one under a unique name (`<prefix>-<random>`) and
 * returns the name: `pk`/`sk` strings, on-demand, the `table` definition's GSIs (string keys,
 * projection ALL) and TTL attribute, and a stream with new images. Pass the quantum manifest's
 * `table` when its code queries an index.
 *
 * @example
 * ```ts
 * const tableName = await createTestTable(client, 'orders', orders.table);
 * ```
 */
export async function createTestTable(
  client: DynamoDBClient,
  prefix: string,
  table: TableDefinition = {},
): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const indexes = table.indexes ?? [];
  const indexKeys = indexes.flatMap((i) =>
    i.sortKey === undefined ? [i.partitionKey] : [i.partitionKey, i.sortKey],
  );
  const keyNames = new Set(['pk', 'sk', ...indexKeys]);
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyNames].map((n) => ({ AttributeName: n, AttributeType: 'S' })),
      KeySchema: keysOf('pk', 'sk'),
      ...(indexes.length === 0
        ? {}
        : {
            GlobalSecondaryIndexes: indexes.map((i) => ({
              IndexName: i.name,
              KeySchema: keysOf(i.partitionKey, i.sortKey),
              Projection: { ProjectionType: 'ALL' },
            })),
          }),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute ?? 'expiresAt', Enabled: true },
    }),
  );
  return name;
}

function keysOf(partitionKey: string, sortKey: string | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    ...(sortKey === undefined ? [] : [{ AttributeName: sortKey, KeyType: 'RANGE' as const }]),
  ];
}
