import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  getProductsResponseSchema,
  ProductCreated,
  productPageSchema,
  productSchema,
  StockReserved,
} from '@quanta/contracts/catalog';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import {
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  startLocalSqs,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { APIGatewayProxyEvent, DynamoDBStreamEvent } from 'aws-lambda';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCatalogTable } from './fakes/createCatalogTable';
import { sqsEventOf } from './fakes/sqsEventOf';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let sqs: FauxqsServer;
let bus: Server;
/** PutEvents entries the stand-in EventBridge received. */
const published: { DetailType: string; Source: string; Detail: string; EventBusName: string }[] = [];
const REPLY_QUEUE = 'quanta-orders-replies';

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  const tableName = await createCatalogTable(client);
  sqs = await startLocalSqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
  sqs.createQueue(REPLY_QUEUE);
  // A stand-in for EventBridge's PutEvents (AWS JSON protocol), on loopback.
  bus = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const { Entries } = JSON.parse(body) as { Entries: typeof published };
      published.push(...Entries);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({ FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: randomUUID() })) }),
      );
    });
  });
  await new Promise<void>((resolve) => bus.listen(0, '127.0.0.1', resolve));
  // The environment the CDK stack and the local cloud give catalog's functions.
  const env: Record<string, string> = {
    QUANTUM: 'catalog',
    TABLE_NAME: tableName,
    TTL_ATTRIBUTE: 'expiresAt',
    EVENT_BUS_NAME: 'quanta-bus',
    EVENT_SOURCE: 'quanta.catalog',
    REPLY_QUEUE_URL_ORDERS: `${sqs.address}/000000000000/${REPLY_QUEUE}`,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.address,
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${(bus.address() as AddressInfo).port}`,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  await sqs?.stop();
  await new Promise((resolve) => bus?.close(resolve));
  await db?.stop();
});

const admin = { userId: 'u-admin', sessionId: 's1', roles: ['customer', 'admin'] };

describe('catalog composition roots', () => {
  it('wire the api function from its environment', async () => {
    // Arrange
    const { handler } = await import('../functions/api');

    // Act
    const created = await handler(
      httpApiEvent({
        method: 'POST',
        path: '/catalog/products',
        body: { name: 'Lamp', priceCents: 4500, currency: 'EUR', stock: 3 },
        caller: admin,
      }),
      lambdaContext(),
    );
    const list = await handler(httpApiEvent({ method: 'GET', path: '/catalog/products' }), lambdaContext());

    // Assert
    expect(created.statusCode).toBe(201);
    const product = productSchema.parse(JSON.parse(created.body));
    expect(product).toMatchObject({ name: 'Lamp', description: '', stock: 3 });
    expect(productPageSchema.parse(JSON.parse(list.body)).items.map((p) => p.productId)).toContain(
      product.productId,
    );
  });

  it('wire the facade function: GetProducts over a REST API proxy event', async () => {
    // Arrange
    const { handler } = await import('../functions/facade');
    const event = {
      resource: '/ops/{operation}',
      path: '/ops/GetProducts',
      httpMethod: 'POST',
      headers: { 'content-type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { operation: 'GetProducts' },
      stageVariables: null,
      requestContext: { requestId: 'r1', identity: { userArn: 'arn:aws:iam::111111111111:role/orders' } },
      body: JSON.stringify({ ids: ['ghost'] }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.statusCode).toBe(200);
    expect(getProductsResponseSchema.parse(JSON.parse(response.body))).toEqual({
      products: [],
      missing: ['ghost'],
    });
  });

  it('wire the requests function: reserve from the table, reply on the orders reply queue', async () => {
    // Arrange
    const api = await import('../functions/api');
    const { handler } = await import('../functions/requests');
    const created = await api.handler(
      httpApiEvent({
        method: 'POST',
        path: '/catalog/products',
        body: { name: 'Chair', priceCents: 9900, currency: 'EUR', stock: 2 },
        caller: admin,
      }),
      lambdaContext(),
    );
    const { productId } = productSchema.parse(JSON.parse(created.body));
    const request = {
      messageId: randomUUID(),
      correlationId: 'saga-42',
      replyTo: 'orders',
      deadline: new Date(Date.now() + 60_000).toISOString(),
      type: 'ReserveStock',
      version: 1,
      payload: { orderId: 'order-42', items: [{ productId, quantity: 2 }] },
    };

    // Act
    const result = await handler(sqsEventOf([JSON.stringify(request)]), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    const ready = sqs.inspectQueue(REPLY_QUEUE)?.messages.ready ?? [];
    expect(ready).toHaveLength(1);
    const reply = StockReserved.envelope.parse(JSON.parse(ready[0]?.body ?? ''));
    expect(reply).toMatchObject({
      correlationId: 'saga-42',
      replyTo: 'catalog',
      deadline: request.deadline,
      payload: { orderId: 'order-42' },
    });
  });

  it('wire the outbox relay: a committed outbox item reaches the bus with catalog as its source', async () => {
    // Arrange
    const { handler } = await import('../functions/outboxRelay');
    const event: AnyEventEnvelope = {
      id: randomUUID(),
      type: 'ProductCreated',
      version: 1,
      source: 'quanta.catalog',
      occurredAt: new Date().toISOString(),
      correlationId: 'c1',
      causationId: 'c1',
      data: { productId: 'p1', name: 'Lamp', priceCents: 4500, currency: 'EUR', stock: 3 },
    };
    const image = marshall({ pk: `OUTBOX#${event.id}`, sk: 'OUTBOX', envelope: JSON.stringify(event) });
    const stream = {
      Records: [{ eventName: 'INSERT', dynamodb: { NewImage: image, SequenceNumber: '1' } }],
    } as unknown as DynamoDBStreamEvent;

    // Act
    const result = await handler(stream, lambdaContext());

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ DetailType: 'ProductCreated', Source: 'quanta.catalog' });
    expect(ProductCreated.envelope.parse(JSON.parse(published[0]?.Detail ?? '')).id).toBe(event.id);
  });
});
