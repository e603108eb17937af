import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import orders from '../../quantum';

/**
 * Creates a fresh table shaped like orders' (pk/sk plus the manifest's GSIs, projection ALL, stream)
 * with a unique name, and returns the name. (The runtime's `createTestTable` makes no indexes.)
 */
export async function createOrdersTable(client: DynamoDBClient): Promise<string> {
  const name = `orders-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const indexes = orders.table.indexes ?? [];
  const attributes = new Set([
    'pk',
    'sk',
    ...indexes.flatMap((i) => [i.partitionKey, i.sortKey ?? []].flat()),
  ]);
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [...attributes].map(
        (a): AttributeDefinition => ({ AttributeName: a, AttributeType: 'S' }),
      ),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
          ...(i.sortKey === undefined ? [] : [{ AttributeName: i.sortKey, KeyType: 'RANGE' as const }]),
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  return name;
}

/** Every item of a table (consistent scan), unmarshalled. */
export async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
