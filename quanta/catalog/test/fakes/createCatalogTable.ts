import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import catalog from '../../quantum';

/**
 * Creates a table shaped like the one the manifest declares (pk/sk, its GSIs with projection ALL,
 * stream, TTL) under a unique name, and returns the name. The runtime's `createTestTable` makes no
 * indexes, and catalog lists products through gsi1.
 *
 * @example
 * ```ts
 * const tableName = await createCatalogTable(client);
 * ```
 */
export async function createCatalogTable(client: DynamoDBClient): Promise<string> {
  const name = `catalog-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const indexes = catalog.table.indexes ?? [];
  const keyNames = new Set(['pk', 'sk']);
  for (const index of indexes) {
    keyNames.add(index.partitionKey);
    if (index.sortKey !== undefined) keyNames.add(index.sortKey);
  }
  const attributes: AttributeDefinition[] = [...keyNames].map((n) => ({
    AttributeName: n,
    AttributeType: 'S',
  }));
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          ...(index.sortKey === undefined
            ? []
            : [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }]),
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: catalog.table.ttlAttribute ?? 'expiresAt', Enabled: true },
    }),
  );
  return name;
}
