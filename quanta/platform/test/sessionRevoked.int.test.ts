import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { EventData } from '@quanta/contracts/envelope';
import { SessionRevoked } from '@quanta/contracts/identity';
import { createEnvelope } from '@quanta/runtime/events';
import { DynamoDbIdempotencyStore } from '@quanta/runtime/idempotency';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'platform-revoked');
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

/** The `sessionRevoked` function as its composition root wires it, on the test table. */
function consumer() {
  const table = { client, tableName, ttlAttribute: 'expiresAt' };
  const denylist = new DynamoDbDenylist(table);
  const apply = vi.fn((data: EventData<typeof SessionRevoked>) =>
    denylist.deny(data.sessionId, data.tokensValidUntil),
  );
  const handler = sqsBatchHandler({
    parse: SessionRevoked.envelope,
    handle: (event) => apply(event.data),
    idempotency: new DynamoDbIdempotencyStore(table),
    idempotencyKey: (event) => `session-revoked#${event.id}`,
    observability: testObservability('platform'),
  });
  return { handler, apply, denylist };
}

function sqsRecord(messageId: string, detail: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify({
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'SessionRevoked',
      source: 'quanta.identity',
      account: '111111111111',
      time: new Date().toISOString(),
      region: 'eu-west-1',
      resources: [],
      detail,
    }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 's',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:quanta-platform-session-revoked',
    awsRegion: 'eu-west-1',
  };
}

const revokedEvent = (sessionId: string, tokensValidUntil: number) =>
  createEnvelope(
    SessionRevoked,
    { userId: 'u1', sessionId, reason: 'LOGOUT', tokensValidUntil },
    { correlationId: 'c' },
  );

describe('sessionRevoked consumer', () => {
  it('puts the session on the denylist with a TTL of tokensValidUntil', async () => {
    // Arrange
    const { handler, denylist } = consumer();
    const until = Math.floor(Date.now() / 1000) + 900;

    // Act
    const result = await handler({ Records: [sqsRecord('m1', revokedEvent('s-1', until))] }, lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: marshall({ pk: 'DENY#s-1', sk: 'DENY' }) }),
    );
    expect(unmarshall(Item ?? {})).toMatchObject({ sessionId: 's-1', expiresAt: until });
    expect(await denylist.isDenied('s-1', until - 1)).toBe(true);
    expect(await denylist.isDenied('s-1', until)).toBe(false);
  });

  it('applies a redelivered event once', async () => {
    // Arrange
    const { handler, apply } = consumer();
    const event = revokedEvent('s-2', Math.floor(Date.now() / 1000) + 900);

    // Act
    await handler({ Records: [sqsRecord('m1', event)] }, lambdaContext());
    const again = await handler({ Records: [sqsRecord('m1-redelivered', event)] }, lambdaContext());

    // Assert
    expect(apply).toHaveBeenCalledTimes(1);
    expect(again.batchItemFailures).toEqual([]);
  });

  it('never shortens an existing denial', async () => {
    // Arrange
    const { handler, denylist } = consumer();
    const later = Math.floor(Date.now() / 1000) + 900;

    // Act
    await handler({ Records: [sqsRecord('a', revokedEvent('s-3', later))] }, lambdaContext());
    await handler({ Records: [sqsRecord('b', revokedEvent('s-3', later - 600))] }, lambdaContext());

    // Assert
    expect(await denylist.isDenied('s-3', later - 1)).toBe(true);
  });

  it('reports a message that is not a SessionRevoked envelope as failed and processes the rest', async () => {
    // Arrange
    const { handler } = consumer();
    const good = revokedEvent('s-4', Math.floor(Date.now() / 1000) + 900);

    // Act
    const result = await handler(
      { Records: [sqsRecord('poison', { ...good, data: { sessionId: 's-4' } }), sqsRecord('good', good)] },
      lambdaContext(),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
  });
});
