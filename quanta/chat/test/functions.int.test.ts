import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { roomSchema, serverFrameSchema } from '@quanta/contracts/chat';
import { SessionRevoked, UserRegistered } from '@quanta/contracts/identity';
import { OrderCancelled, OrderConfirmed } from '@quanta/contracts/orders';
import { createEnvelope } from '@quanta/runtime/events';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  startLocalSqs,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbConnectionRepository } from '../adapters/DynamoDbConnectionRepository';
import { DynamoDbUserDirectory } from '../adapters/DynamoDbUserDirectory';
import chat from '../quantum';
import { startConnectionsEndpoint } from './fakes/connectionsEndpoint';
import { eventBridgeBody, sqsEvent } from './fakes/sqsEvents';
import { ticketAuthorizer, webSocketEvent } from './fakes/webSocketEvent';

const FANOUT_QUEUE = 'quanta-chat-fanout';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let sqs: FauxqsServer;
let sqsClient: SQSClient;
let endpoint: Awaited<ReturnType<typeof startConnectionsEndpoint>>;
let connections: DynamoDbConnectionRepository;
let users: DynamoDbUserDirectory;
let fanoutQueueUrl: string;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  const tableName = await createTestTable(client, 'chat-functions', chat.table);
  const table = { client, tableName, ttlAttribute: 'expiresAt' };
  connections = new DynamoDbConnectionRepository(table);
  users = new DynamoDbUserDirectory(table);
  sqs = await startLocalSqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
  sqs.createQueue(FANOUT_QUEUE, { region: 'eu-west-1' });
  fanoutQueueUrl = `${sqs.address}/000000000000/${FANOUT_QUEUE}`;
  sqsClient = new SQSClient({
    endpoint: sqs.address,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  endpoint = await startConnectionsEndpoint();
  // The environment the CDK stack and the local cloud give chat's functions (a low fan-out
  // threshold, so that a room of three goes through the work queue).
  const env: Record<string, string> = {
    QUANTUM: 'chat',
    TABLE_NAME: tableName,
    TTL_ATTRIBUTE: 'expiresAt',
    EVENT_BUS_NAME: 'quanta-bus',
    EVENT_SOURCE: 'quanta.chat',
    WEBSOCKET_MANAGEMENT_URL: endpoint.url,
    WORK_QUEUE_URL_FANOUT: fanoutQueueUrl,
    CHAT_FANOUT_THRESHOLD: '2',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.address,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  sqsClient?.destroy();
  await endpoint?.stop();
  await sqs?.stop();
  await db?.stop();
});

/** Opens a connection through the `ws` function, as API Gateway does after the ticket authorizer. */
async function connect(connectionId: string, userId: string, sessionId: string): Promise<void> {
  const { handler } = await import('../functions/ws');
  const result = await handler(
    webSocketEvent('$connect', connectionId, { authorizer: ticketAuthorizer(userId, sessionId) }),
    lambdaContext(),
  );
  expect(result).toEqual({ statusCode: 200 });
  endpoint.open.add(connectionId);
}

/** Everything on the fan-out queue now, removed from it. */
async function drainFanoutQueue(): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqsClient.send(
      new ReceiveMessageCommand({ QueueUrl: fanoutQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    for (const m of Messages) {
      bodies.push(m.Body ?? '');
      await sqsClient.send(
        new DeleteMessageCommand({ QueueUrl: fanoutQueueUrl, ReceiptHandle: m.ReceiptHandle }),
      );
    }
  }
}

describe('chat composition roots', () => {
  it('wire api: a signed-in user creates a room', async () => {
    // Arrange
    const { handler } = await import('../functions/api');

    // Act
    const response = await handler(
      httpApiEvent({
        method: 'POST',
        path: '/chat/rooms',
        body: { name: 'Lobby' },
        caller: { userId: 'u-1', sessionId: 's-1', roles: [] },
      }),
      lambdaContext(),
    );

    // Assert
    expect(response.statusCode).toBe(201);
    expect(roomSchema.parse(JSON.parse(response.body))).toMatchObject({ name: 'Lobby', createdBy: 'u-1' });
  });

  it('wire ws and fanout: a room above the threshold is pushed through the work queue, 410s pruned', async () => {
    // Arrange
    const api = await import('../functions/api');
    const ws = await import('../functions/ws');
    const fanout = await import('../functions/fanout');
    const created = await api.handler(
      httpApiEvent({
        method: 'POST',
        path: '/chat/rooms',
        body: { name: 'Big' },
        caller: { userId: 'u-a', sessionId: 's-a', roles: [] },
      }),
      lambdaContext(),
    );
    const { roomId } = roomSchema.parse(JSON.parse(created.body));
    for (const [id, user] of [
      ['ws-a=', 'u-a'],
      ['ws-b=', 'u-b'],
      ['ws-c=', 'u-c'],
    ] as const) {
      await connect(id, user, `s-${user}`);
      await ws.handler(webSocketEvent('join', id, { body: { action: 'join', roomId } }), lambdaContext());
    }
    endpoint.open.delete('ws-c='); // its client went away without a $disconnect yet

    // Act
    await ws.handler(
      webSocketEvent('send', 'ws-a=', {
        body: { action: 'send', roomId, text: 'Hi all', clientMessageId: 'm-1' },
      }),
      lambdaContext(),
    );
    const queued = await drainFanoutQueue();
    const result = await fanout.handler(sqsEvent(...queued), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(queued).toHaveLength(1); // 3 members > the threshold of 2: one batch (of up to 100) queued
    const aFrames = endpoint.framesOf('ws-a=').map((f) => serverFrameSchema.parse(f));
    expect(aFrames.map((f) => f.type)).toEqual(['joined', 'ack', 'message']);
    expect(endpoint.framesOf('ws-b=').map((f) => serverFrameSchema.parse(f).type)).toEqual([
      'joined',
      'message',
    ]);
    expect(await connections.get('ws-c=')).toBeUndefined();
    expect((await connections.members(roomId)).sort()).toEqual(['ws-a=', 'ws-b=']);
  });

  it('wire orderEvents: an order’s owner gets an order frame on each open connection', async () => {
    // Arrange
    const { handler } = await import('../functions/orderEvents');
    await connect('ord-1=', 'u-buyer', 's-buyer-1');
    await connect('ord-2=', 'u-buyer', 's-buyer-2');
    await connect('ord-other=', 'u-other', 's-other');
    const confirmed = createEnvelope(
      OrderConfirmed,
      { orderId: 'o-1', userId: 'u-buyer', totalCents: 1200, currency: 'EUR', paymentId: 'p-1' },
      { correlationId: 'corr' },
    );
    const cancelled = createEnvelope(
      OrderCancelled,
      { orderId: 'o-2', userId: 'u-buyer', reason: 'PAYMENT_DECLINED' },
      { correlationId: 'corr' },
    );

    // Act
    const result = await handler(
      sqsEvent(eventBridgeBody(confirmed), eventBridgeBody(cancelled)),
      lambdaContext(),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    const expected = [
      { type: 'order', orderId: 'o-1', status: 'CONFIRMED' },
      { type: 'order', orderId: 'o-2', status: 'CANCELLED', reason: 'PAYMENT_DECLINED' },
    ];
    expect(endpoint.framesOf('ord-1=')).toEqual(expected);
    expect(endpoint.framesOf('ord-2=')).toEqual(expected);
    expect(endpoint.framesOf('ord-other=')).toEqual([]);
  });

  it('wire sessionRevoked: every connection of the session is closed (DELETE @connections) and forgotten', async () => {
    // Arrange
    const { handler } = await import('../functions/sessionRevoked');
    await connect('rev-1=', 'u-leaver', 's-leaving');
    await connect('rev-2=', 'u-leaver', 's-leaving');
    await connect('rev-3=', 'u-leaver', 's-staying');
    const revoked = createEnvelope(
      SessionRevoked,
      { userId: 'u-leaver', sessionId: 's-leaving', reason: 'LOGOUT', tokensValidUntil: 4_000_000_000 },
      { correlationId: 'corr' },
    );

    // Act
    const started = Date.now();
    const result = await handler(sqsEvent(eventBridgeBody(revoked)), lambdaContext());
    const elapsed = Date.now() - started;

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    const deleted = endpoint.calls.filter((c) => c.method === 'DELETE').map((c) => c.connectionId);
    expect(deleted.sort()).toEqual(['rev-1=', 'rev-2=']);
    expect(await connections.bySession('s-leaving')).toEqual([]);
    expect(await connections.get('rev-3=')).toBeDefined();
    expect(elapsed).toBeLessThan(2000);
  });

  it('wire userRegistered: the display name is used for the user’s next connection', async () => {
    // Arrange
    const { handler } = await import('../functions/userRegistered');
    const registered = createEnvelope(
      UserRegistered,
      { userId: 'u-grace', email: 'grace@example.com', displayName: 'Grace', roles: ['customer'] },
      { correlationId: 'corr' },
    );

    // Act
    const result = await handler(sqsEvent(eventBridgeBody(registered)), lambdaContext());
    await connect('grace=', 'u-grace', 's-grace');

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(await users.displayNameOf('u-grace')).toBe('Grace');
    expect((await connections.get('grace='))?.displayName).toBe('Grace');
  });
});
