import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTable, dynamoDbClientFor, useDynamoDbLocal } from '../src/testing/createTestTable';

let client: DynamoDBClient;

beforeAll(async () => {
  client = dynamoDbClientFor((await useDynamoDbLocal()).endpoint);
});

afterAll(() => client?.destroy());

describe('createTestTable', () => {
  it('creates a uniquely named pk/sk table with a stream and TTL on expiresAt by default', async () => {
    // Act
    const first = await createTestTable(client, 'plain');
    const second = await createTestTable(client, 'plain');

    // Assert
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: first }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: first }));
    expect(first).not.toBe(second);
    expect(first).toMatch(/^plain-/);
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table?.GlobalSecondaryIndexes).toBeUndefined();
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
  });

  it('adds the indexes and the TTL attribute of a manifest table definition', async () => {
    // Act
    const name = await createTestTable(client, 'shop', {
      ttlAttribute: 'purgeAt',
      indexes: [
        { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
        { name: 'gsi2', partitionKey: 'gsi2pk' },
      ],
    });

    // Assert
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const indexes = (table?.GlobalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName,
      keys: i.KeySchema?.map((k) => `${k.KeyType} ${k.AttributeName}`),
      projection: i.Projection?.ProjectionType,
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { name: 'gsi1', keys: ['HASH gsi1pk', 'RANGE gsi1sk'], projection: 'ALL' },
      { name: 'gsi2', keys: ['HASH gsi2pk'], projection: 'ALL' },
    ]);
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('purgeAt');
  });
});
