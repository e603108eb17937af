import type { AttributeDefinition, DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TableProvisioningError } from './errors';
import type { TableSpec } from './TableSpec';

/** A created (or found) table. */
export interface ProvisionedTable {
  readonly tableName: string;
  readonly tableArn: string;
  /** ARN of its stream, when it has one. */
  readonly streamArn?: string;
}

/**
 * Creates the table of `spec` unless it exists (idempotent), on-demand, with its GSIs (projection
 * ALL), its stream, and TTL enabled on its TTL attribute. The pinned DynamoDB Local expires items
 * itself (D61), and `TtlSweeper` does too.
 *
 * @example
 * ```ts
 * const { streamArn } = await ensureTable(client, tableSpecOf(identity));
 * ```
 */
export async function ensureTable(client: DynamoDBClient, spec: TableSpec): Promise<ProvisionedTable> {
  const keyNames = new Set<string>([spec.partitionKey, spec.sortKey]);
  for (const index of spec.indexes) {
    keyNames.add(index.partitionKey);
    if (index.sortKey !== undefined) keyNames.add(index.sortKey);
  }
  const attributes: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  let created: TableDescription | undefined;
  try {
    const answer = await client.send(
      new CreateTableCommand({
        TableName: spec.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes,
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: 'HASH' },
          { AttributeName: spec.sortKey, KeyType: 'RANGE' },
        ],
        ...(spec.indexes.length === 0
          ? {}
          : {
              GlobalSecondaryIndexes: spec.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                  ...(index.sortKey === undefined
                    ? []
                    : [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }]),
                ],
                Projection: { ProjectionType: 'ALL' as const },
              })),
            }),
        ...(spec.stream === undefined
          ? {}
          : { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } }),
      }),
    );
    created = answer.TableDescription;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.tableName,
        TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) {
      throw new TableProvisioningError(
        `Could not create table '${spec.tableName}': ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  // A table this call created is described by CreateTable's answer; one that existed is read.
  const table = created ?? (await client.send(new DescribeTableCommand({ TableName: spec.tableName }))).Table;
  if (table?.TableArn === undefined) throw new TableProvisioningError(`Table '${spec.tableName}' has no ARN`);
  return {
    tableName: spec.tableName,
    tableArn: table.TableArn,
    ...(table.LatestStreamArn === undefined ? {} : { streamArn: table.LatestStreamArn }),
  };
}
