import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defineQuantum } from '@quanta/runtime/manifest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../ensureTable';
import type { TableSpec } from '../TableSpec';

const client = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

const manifest = defineQuantum({
  name: 'shop',
  dir: '/repo/quanta/shop',
  table: {
    ttlAttribute: 'purgeAt',
    indexes: [
      { name: 'by-email', partitionKey: 'email' },
      { name: 'by-owner', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    ],
  },
  functions: { relay: { entry: 'handlers/relay.ts' } },
  publishes: ['ShopOpened'],
  outboxRelay: 'relay',
});

describe('ensureTable', () => {
  afterAll(() => client.destroy());

  it('creates the table with its keys, indexes, stream and TTL, and is idempotent', async () => {
    const spec: TableSpec = {
      tableName: `t${randomUUID().slice(0, 8)}-shop`,
      partitionKey: 'pk',
      sortKey: 'sk',
      indexes: manifest.table.indexes ?? [],
      ttlAttribute: manifest.table.ttlAttribute ?? 'expiresAt',
      stream: 'NEW_IMAGE',
    };

    const first = await ensureTable(client, spec);
    const second = await ensureTable(client, spec);

    expect(second).toEqual(first);
    expect(first.streamArn).toContain(`table/${spec.tableName}/stream/`);
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: spec.tableName }));
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(
      table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName)]),
    ).toEqual([
      ['by-email', ['email']],
      ['by-owner', ['gsi1pk', 'gsi1sk']],
    ]);
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const { TimeToLiveDescription: ttl } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: spec.tableName }),
    );
    expect(ttl).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'purgeAt' });
  });
});
