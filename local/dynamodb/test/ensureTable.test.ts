import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defineQuantum } from '@quanta/runtime/manifest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../ensureTable';
import { tableSpecOf } from '../tableSpecOf';

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

describe('tableSpecOf', () => {
  it('names the table after the quantum and adds a NEW_IMAGE stream when the quantum relays an outbox', () => {
    expect(tableSpecOf(manifest, 'test')).toEqual({
      tableName: 'test-shop',
      partitionKey: 'pk',
      sortKey: 'sk',
      indexes: manifest.table.indexes,
      ttlAttribute: 'purgeAt',
      stream: 'NEW_IMAGE',
    });
    expect(tableSpecOf({ ...manifest, outboxRelay: undefined, publishes: [] }).stream).toBeUndefined();
  });
});

describe('ensureTable', () => {
  afterAll(() => client.destroy());

  it('creates the table with its keys, indexes, stream and TTL, and is idempotent', async () => {
    const spec = tableSpecOf(manifest, `t${randomUUID().slice(0, 8)}`);

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
