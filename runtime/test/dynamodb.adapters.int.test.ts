import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { defineEvent, eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { transactionCancellationReasons } from '../src/dynamodb/transactWrite';
import { IdempotencyInProgressError } from '../src/errors';
import { createEnvelope, outboxPut } from '../src/events/outbox';
import { DynamoDbIdempotencyStore } from '../src/idempotency/DynamoDbIdempotencyStore';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  useDynamoDbLocal,
} from '../src/testing/createTestTable';

const Pinged = defineEvent('shop', 'Pinged', 1, z.object({ n: z.number() }));

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'runtime');
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

describe('outboxPut against DynamoDB Local', () => {
  it('commits the state change and the outbox item in one transaction', async () => {
    // Arrange
    const event = createEnvelope(Pinged, { n: 1 }, { correlationId: 'corr' });
    const state = { Put: { TableName: tableName, Item: marshall({ pk: 'THING#1', sk: 'THING', n: 1 }) } };

    // Act
    await client.send(
      new TransactWriteItemsCommand({ TransactItems: [state, outboxPut(event, { tableName })] }),
    );

    // Assert
    const stored = await client.send(
      new GetItemCommand({ TableName: tableName, Key: marshall({ pk: `OUTBOX#${event.id}`, sk: 'OUTBOX' }) }),
    );
    const item = unmarshall(stored.Item ?? {});
    expect(eventEnvelopeBaseSchema.parse(JSON.parse(item.envelope))).toEqual(event);
    expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('writes no outbox item when the state change is refused', async () => {
    // Arrange
    const event = createEnvelope(Pinged, { n: 2 }, { correlationId: 'corr' });
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: marshall({ pk: 'THING#2', sk: 'THING' }) }),
    );
    const state = {
      Put: {
        TableName: tableName,
        Item: marshall({ pk: 'THING#2', sk: 'THING' }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };

    // Act
    const error = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [state, outboxPut(event, { tableName })] }))
      .catch((e: unknown) => e);

    // Assert
    expect(transactionCancellationReasons(error)).toEqual(['ConditionalCheckFailed', 'None']);
    const stored = await client.send(
      new GetItemCommand({ TableName: tableName, Key: marshall({ pk: `OUTBOX#${event.id}`, sk: 'OUTBOX' }) }),
    );
    expect(stored.Item).toBeUndefined();
  });
});

describe('DynamoDbIdempotencyStore against DynamoDB Local', () => {
  it('runs the work once per key and reports the redelivery as a duplicate', async () => {
    // Arrange
    const store = new DynamoDbIdempotencyStore({ client, tableName });
    let runs = 0;
    const work = async () => {
      runs++;
    };

    // Act
    const first = await store.once('evt-1', work);
    const second = await store.once('evt-1', work);

    // Assert
    expect([first, second]).toEqual(['PROCESSED', 'DUPLICATE']);
    expect(runs).toBe(1);
  });

  it('releases the key when the work fails so the retry runs it', async () => {
    // Arrange
    const store = new DynamoDbIdempotencyStore({ client, tableName });
    const failing = async () => {
      throw new Error('downstream');
    };

    // Act
    await expect(store.once('evt-2', failing)).rejects.toThrow('downstream');
    const retry = await store.once('evt-2', async () => undefined);

    // Assert
    expect(retry).toBe('PROCESSED');
  });

  it('refuses a key another invocation is processing, and lets it be taken over after the lease', async () => {
    // Arrange
    let now = new Date('2026-01-01T00:00:00Z');
    const store = new DynamoDbIdempotencyStore({ client, tableName, leaseSeconds: 30, now: () => now });
    let release: () => void = () => undefined;
    const holder = store.once('evt-3', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setTimeout(r, 100));

    // Act
    const concurrent = await store.once('evt-3', async () => undefined).catch((e: unknown) => e);
    now = new Date('2026-01-01T00:01:00Z');
    const takeover = await store.once('evt-3', async () => undefined);
    release();
    await holder;

    // Assert
    expect(concurrent).toBeInstanceOf(IdempotencyInProgressError);
    expect(takeover).toBe('PROCESSED');
  });
});
