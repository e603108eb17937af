import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  getPaymentResponseSchema,
  PaymentAuthorized,
  PaymentAuthorizedReply,
} from '@quanta/contracts/payments';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  lambdaContext,
  startLocalSqs,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { APIGatewayProxyEvent, DynamoDBStreamEvent } from 'aws-lambda';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_CARDS } from '../adapters/SimulatedCardProcessor';
import { startFakeEventBridge } from './fakes/fakeEventBridge';
import { authorizeRequest, sqsEvent, sqsRecord } from './fakes/requestEvents';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;
let sqs: FauxqsServer;
let sqsClient: SQSClient;
let replyQueueUrl: string;
let bus: Awaited<ReturnType<typeof startFakeEventBridge>>;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'payments-handlers');
  sqs = await startLocalSqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
  sqsClient = new SQSClient({
    endpoint: sqs.address,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await sqsClient.send(new CreateQueueCommand({ QueueName: 'quanta-orders-replies' }));
  // fauxqs finds the queue by its path, so a 127.0.0.1 URL needs no *.localhost resolution.
  replyQueueUrl = `${sqs.address}/000000000000/quanta-orders-replies`;
  bus = await startFakeEventBridge();
  // The environment the CDK stack and the local cloud give payments' functions.
  const env: Record<string, string> = {
    QUANTUM: 'payments',
    TABLE_NAME: tableName,
    TTL_ATTRIBUTE: 'expiresAt',
    EVENT_BUS_NAME: 'quanta-bus',
    EVENT_SOURCE: 'quanta.payments',
    REPLY_QUEUE_URL_ORDERS: replyQueueUrl,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.address,
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  sqsClient?.destroy();
  await sqs?.stop();
  await bus?.stop();
  await db?.stop();
});

function getPaymentEvent(orderId: string): APIGatewayProxyEvent {
  return {
    resource: '/ops/{operation}',
    path: '/ops/GetPayment',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { operation: 'GetPayment' },
    stageVariables: null,
    requestContext: { requestId: 'r1', identity: { userArn: 'arn:aws:iam::111111111111:role/orders' } },
    body: JSON.stringify({ orderId }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent;
}

describe('payments composition roots', () => {
  it('wire requests, facade and outbox relay: authorize, reply over SQS, GetPayment, publish the event', async () => {
    // Arrange
    const requests = await import('../functions/requests');
    const facade = await import('../functions/facade');
    const relay = await import('../functions/outboxRelay');
    const request = authorizeRequest('ord-root-1', TEST_CARDS.authorized, { correlationId: 'corr-root' });

    // Act
    const result = await requests.handler(sqsEvent(sqsRecord(request)), lambdaContext());
    const received = await sqsClient.send(
      new ReceiveMessageCommand({ QueueUrl: replyQueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
    );
    const payment = await facade.handler(getPaymentEvent('ord-root-1'), lambdaContext());
    const items = (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    const outbox = items.filter((i) => unmarshall(i).pk.startsWith('OUTBOX#'));
    const stream: DynamoDBStreamEvent = {
      Records: outbox.map((NewImage, i) => ({
        eventName: 'INSERT',
        dynamodb: { NewImage: NewImage as never, SequenceNumber: String(i + 1) },
      })),
    };
    const relayed = await relay.handler(stream, lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(received.Messages).toHaveLength(1);
    const reply = PaymentAuthorizedReply.envelope.parse(JSON.parse(received.Messages?.[0]?.Body ?? ''));
    expect(reply).toMatchObject({
      correlationId: 'corr-root',
      replyTo: 'payments',
      deadline: request.deadline,
    });
    expect(reply.payload).toMatchObject({ orderId: 'ord-root-1', last4: '4242' });
    expect(payment.statusCode).toBe(200);
    expect(getPaymentResponseSchema.parse(JSON.parse(payment.body))).toMatchObject({
      paymentId: reply.payload.paymentId,
      status: 'AUTHORIZED',
    });
    expect(relayed.batchItemFailures).toEqual([]);
    expect(bus.entries).toHaveLength(1);
    expect(bus.entries[0]).toMatchObject({ Source: 'quanta.payments', DetailType: 'PaymentAuthorized' });
    expect(PaymentAuthorized.envelope.parse(JSON.parse(bus.entries[0]?.Detail ?? '')).data.orderId).toBe(
      'ord-root-1',
    );
    const written = JSON.stringify([items, received.Messages, bus.entries, payment.body]);
    expect(written).not.toContain(TEST_CARDS.authorized);
  });
});
