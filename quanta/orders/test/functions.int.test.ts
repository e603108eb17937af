import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type AnyRequestEnvelope, requestEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { errorBodySchema } from '@quanta/contracts/http';
import { orderAcceptedSchema, orderPageSchema, orderSchema } from '@quanta/contracts/orders';
import {
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  startLocalSqs,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { DynamoDBStreamEvent, SQSBatchResponse } from 'aws-lambda';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbOrderRepository } from '../adapters/DynamoDbOrderRepository';
import { LocalCardVault } from '../adapters/LocalCardVault';
import { createOrdersTable, scanAll } from './fakes/createOrdersTable';
import { startFakeCatalogFacade } from './fakes/fakeCatalogFacade';
import { orderFixture } from './fakes/orderFixture';
import { eventBridgeBody, sqsEvent } from './fakes/sqsEvents';

/** The card number that must never appear in a table item or a log line. */
const PAN = '4242424242424242';
const CARD = { number: PAN, expMonth: 12, expYear: 2030, cvc: '987' };
const ALICE = { userId: 'alice', sessionId: 's-alice', roles: ['customer'] };
const BOB = { userId: 'bob', sessionId: 's-bob', roles: ['customer'] };
const FACADE_TIMEOUT_MS = 300;
const FACADE_FAILURE_THRESHOLD = 3;

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;
let sqs: FauxqsServer;
let facade: Awaited<ReturnType<typeof startFakeCatalogFacade>>;
const encryptionKey = randomBytes(32).toString('base64');
/** Everything the functions wrote to stdout/stderr (their logs). */
const output: string[] = [];

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createOrdersTable(client);
  sqs = await startLocalSqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
  for (const name of ['catalog-requests', 'payments-requests'])
    sqs.createQueue(name, { region: 'eu-west-1' });
  facade = await startFakeCatalogFacade();
  facade.products.set('p1', {
    productId: 'p1',
    name: 'Mug',
    priceCents: 1250,
    currency: 'EUR',
    available: 5,
  });
  facade.products.set('p2', { productId: 'p2', name: 'Tea', priceCents: 500, currency: 'EUR', available: 0 });
  facade.products.set('px', {
    productId: 'px',
    name: 'Dollar',
    priceCents: 100,
    currency: 'USD',
    available: 1,
  });
  // The environment the CDK stack and the local cloud give orders' functions.
  const env: Record<string, string> = {
    QUANTUM: 'orders',
    TABLE_NAME: tableName,
    TTL_ATTRIBUTE: 'expiresAt',
    EVENT_BUS_NAME: 'quanta-bus',
    EVENT_SOURCE: 'quanta.orders',
    REQUEST_QUEUE_URL_CATALOG: `${sqs.address}/000000000000/catalog-requests`,
    REQUEST_QUEUE_URL_PAYMENTS: `${sqs.address}/000000000000/payments-requests`,
    REPLY_QUEUE_URL: `${sqs.address}/000000000000/orders-replies`,
    FACADE_URL_CATALOG: facade.url,
    FACADE_TIMEOUT_MS: String(FACADE_TIMEOUT_MS),
    FACADE_FAILURE_THRESHOLD: String(FACADE_FAILURE_THRESHOLD),
    ENCRYPTION_KEY_LOCAL: encryptionKey,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.address,
    AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9',
    // Every log level on, so the scan for card numbers sees everything the functions would log.
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const capture = (chunk: unknown): boolean => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await facade?.stop();
  await sqs?.stop();
  client?.destroy();
  await db?.stop();
});

async function api() {
  const { handler } = await import('../functions/api');
  return async (input: Parameters<typeof httpApiEvent>[0]) => {
    const started = performance.now();
    const response = await handler(httpApiEvent(input), lambdaContext());
    return {
      status: response.statusCode,
      ms: performance.now() - started,
      body: response.body,
      json: response.body === '' ? undefined : (JSON.parse(response.body) as unknown),
    };
  };
}

async function replies(...envelopes: unknown[]): Promise<SQSBatchResponse> {
  const { handler } = await import('../functions/replies');
  return handler(sqsEvent(...envelopes), lambdaContext());
}

/** Request envelopes waiting in a queue, received and deleted (so each test sees only its own). */
async function drain(queue: 'catalog-requests' | 'payments-requests'): Promise<AnyRequestEnvelope[]> {
  const sqsClient = new SQSClient({
    endpoint: sqs.address,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const QueueUrl = `${sqs.address}/000000000000/${queue}`;
  const envelopes: AnyRequestEnvelope[] = [];
  try {
    for (;;) {
      const { Messages = [] } = await sqsClient.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return envelopes;
      for (const m of Messages) {
        envelopes.push(requestEnvelopeBaseSchema.parse(JSON.parse(m.Body ?? '')));
        await sqsClient.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
  } finally {
    sqsClient.destroy();
  }
}

function reply(request: AnyRequestEnvelope, type: string, payload: Record<string, unknown>) {
  return {
    messageId: randomUUID(),
    correlationId: request.correlationId,
    replyTo: 'catalog',
    deadline: request.deadline,
    type,
    version: 1,
    payload,
  };
}

const orderBody = { items: [{ productId: 'p1', quantity: 2 }], card: CARD };

async function placeOrder(key: string, body: unknown = orderBody) {
  const call = await api();
  return call({ method: 'POST', path: '/orders', headers: { 'Idempotency-Key': key }, body, caller: ALICE });
}

describe('orders api function', () => {
  it('places an order (202 PENDING), sends a signed facade call and ReserveStock, and shows it to its owner', async () => {
    // Arrange
    await drain('catalog-requests');
    const call = await api();

    // Act
    const placed = await placeOrder('key-api-0001');
    const { orderId } = orderAcceptedSchema.parse(placed.json);
    const read = await call({ method: 'GET', path: `/orders/${orderId}`, caller: ALICE });
    const list = await call({ method: 'GET', path: '/orders', query: { limit: '10' }, caller: ALICE });

    // Assert
    expect(placed.status).toBe(202);
    expect(placed.json).toEqual({ orderId, status: 'PENDING' });
    expect(facade.state.signed).toBe(facade.state.calls);
    const [reserve] = await drain('catalog-requests');
    expect(reserve).toMatchObject({
      type: 'ReserveStock',
      replyTo: 'orders',
      payload: { orderId, items: [{ productId: 'p1', quantity: 2 }] },
    });
    const deadlineIn = Date.parse(reserve?.deadline ?? '') - Date.now();
    expect(deadlineIn).toBeGreaterThan(110_000);
    expect(deadlineIn).toBeLessThanOrEqual(120_000);
    expect(orderSchema.parse(read.json)).toMatchObject({
      orderId,
      status: 'PENDING',
      totalCents: 2500,
      cardLast4: '4242',
    });
    expect(orderPageSchema.parse(list.json).items.map((o) => o.orderId)).toContain(orderId);
  });

  it('answers a replay with the same order and a different body with 422', async () => {
    // Arrange
    const first = await placeOrder('key-api-0002');

    // Act
    const replay = await placeOrder('key-api-0002');
    const other = await placeOrder('key-api-0002', {
      ...orderBody,
      items: [{ productId: 'p1', quantity: 1 }],
    });

    // Assert
    expect(replay.json).toEqual(first.json);
    expect(other.status).toBe(422);
    expect(errorBodySchema.parse(other.json).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('accepts an order for a product the catalog shows without stock: the saga decides', async () => {
    // Act
    const placed = await placeOrder('key-api-0003', {
      ...orderBody,
      items: [{ productId: 'p2', quantity: 1 }],
    });

    // Assert
    expect(placed.status).toBe(202);
  });

  const key = (k: string) => ({ 'Idempotency-Key': k });
  const items = (...lines: { productId: string; quantity: unknown }[]) => ({ ...orderBody, items: lines });
  it.each([
    {
      what: 'no Idempotency-Key',
      headers: {},
      body: orderBody,
      status: 400,
      code: 'IDEMPOTENCY_KEY_REQUIRED',
    },
    {
      what: 'a short Idempotency-Key',
      headers: key('short'),
      body: orderBody,
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    { what: 'bad JSON', headers: key('key-bad-json'), body: '{"items":', status: 400, code: 'INVALID_JSON' },
    { what: 'no body', headers: key('key-no-body'), body: undefined, status: 400, code: 'VALIDATION_FAILED' },
    {
      what: 'a negative quantity',
      headers: key('key-negative'),
      body: items({ productId: 'p1', quantity: -1 }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      what: 'a string quantity',
      headers: key('key-string-q'),
      body: items({ productId: 'p1', quantity: '2' }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      what: 'a repeated product',
      headers: key('key-repeated'),
      body: items({ productId: 'p1', quantity: 1 }, { productId: 'p1', quantity: 1 }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      what: 'an unknown field',
      headers: key('key-unknown-f'),
      body: { ...orderBody, coupon: 'FREE' },
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      what: 'an invalid card number',
      headers: key('key-bad-card'),
      body: { ...orderBody, card: { number: '4242-4242-abcd' } },
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      what: 'broken JSON around a card',
      headers: key('key-broken-card'),
      body: `{"items":[{"productId":"p1","quantity":1}],"card":{"number":"${PAN}"}`,
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      what: 'an unknown product',
      headers: key('key-unknown-p'),
      body: items({ productId: 'nope', quantity: 1 }),
      status: 422,
      code: 'UNKNOWN_PRODUCT',
    },
    {
      what: 'mixed currencies',
      headers: key('key-currency'),
      body: items({ productId: 'p1', quantity: 1 }, { productId: 'px', quantity: 1 }),
      status: 422,
      code: 'MIXED_CURRENCIES',
    },
    {
      what: 'an oversize body',
      headers: key('key-oversize'),
      body: { ...orderBody, pad: 'x'.repeat(9000) },
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
  ])(
    'refuses POST /orders with $what ($status $code), never echoing the card',
    async ({ headers, body, status, code }) => {
      // Arrange
      const call = await api();

      // Act
      const response = await call({ method: 'POST', path: '/orders', headers, body, caller: ALICE });

      // Assert
      expect(response.status).toBe(status);
      expect(errorBodySchema.parse(response.json).error.code).toBe(code);
      expect(response.body).not.toContain(PAN);
    },
  );

  type Request = Parameters<Awaited<ReturnType<typeof api>>>[0];
  it.each<{ what: string; status: number; request: (orderId: string) => Request }>([
    {
      what: 'another user’s order',
      status: 404,
      request: (id) => ({ method: 'GET', path: `/orders/${id}`, caller: BOB }),
    },
    {
      what: 'an unknown order',
      status: 404,
      request: () => ({ method: 'GET', path: '/orders/no-such-order', caller: ALICE }),
    },
    {
      what: 'a malformed order id',
      status: 404,
      request: () => ({ method: 'GET', path: '/orders/bad%20id!', caller: ALICE }),
    },
    {
      what: 'a cancel by another user',
      status: 404,
      request: (id) => ({ method: 'POST', path: `/orders/${id}/cancel`, caller: BOB }),
    },
    {
      what: 'a zero page size',
      status: 400,
      request: () => ({ method: 'GET', path: '/orders', query: { limit: '0' }, caller: ALICE }),
    },
    {
      what: 'a forged cursor',
      status: 400,
      request: () => ({ method: 'GET', path: '/orders', query: { cursor: 'Zm9yZ2Vk' }, caller: ALICE }),
    },
    { what: 'no caller', status: 401, request: () => ({ method: 'GET', path: '/orders' }) },
  ])('answers $what with $status', async ({ request, status }) => {
    // Arrange
    const call = await api();
    const { orderId } = orderAcceptedSchema.parse(
      (await placeOrder(`key-read-${status}-${randomUUID().slice(0, 8)}`)).json,
    );

    // Act
    const response = await call(request(orderId));

    // Assert
    expect(response.status).toBe(status);
    expect(errorBodySchema.safeParse(response.json).success).toBe(true);
  });

  it('cancels a pending order (202) with both compensations sent, then answers 409', async () => {
    // Arrange
    const call = await api();
    const { orderId } = orderAcceptedSchema.parse((await placeOrder('key-cancel-01')).json);
    await drain('catalog-requests');
    await drain('payments-requests');

    // Act
    const cancelled = await call({ method: 'POST', path: `/orders/${orderId}/cancel`, caller: ALICE });
    const again = await call({ method: 'POST', path: `/orders/${orderId}/cancel`, caller: ALICE });

    // Assert
    expect(cancelled).toMatchObject({ status: 202, json: { orderId, status: 'CANCELLED' } });
    expect(again.status).toBe(409);
    expect(errorBodySchema.parse(again.json).error.code).toBe('ORDER_NOT_PENDING');
    expect((await drain('catalog-requests')).map((r) => r.type)).toEqual(['ReleaseStock']);
    expect((await drain('payments-requests')).map((r) => r.type)).toEqual(['RefundPayment']);
  });
});

describe('orders replies, productRenamed, sweeper and outboxRelay functions', () => {
  it('drive the saga to CONFIRMED from catalog’s and payments’ replies, and show a renamed product', async () => {
    // Arrange
    const call = await api();
    await drain('catalog-requests');
    const { orderId } = orderAcceptedSchema.parse((await placeOrder('key-saga-0001')).json);
    const [reserve] = await drain('catalog-requests');
    if (reserve === undefined) throw new Error('no ReserveStock sent');
    const renamed = await import('../functions/productRenamed');

    // Act
    const afterReserve = await replies(reply(reserve, 'StockReserved', { orderId }));
    const [authorize] = await drain('payments-requests');
    if (authorize === undefined) throw new Error('no AuthorizePayment sent');
    const afterAuthorize = await replies(
      reply(authorize, 'PaymentAuthorized', { orderId, paymentId: 'pay-1', last4: '4242' }),
    );
    const rename = await renamed.handler(
      sqsEvent(
        eventBridgeBody({
          id: randomUUID(),
          type: 'ProductRenamed',
          version: 1,
          source: 'quanta.catalog',
          occurredAt: new Date().toISOString(),
          correlationId: 'c-rename',
          causationId: 'c-rename',
          data: { productId: 'p1', name: 'Big mug', previousName: 'Mug', version: 2 },
        } as { type: string; source: string }),
      ),
      lambdaContext(),
    );
    const read = await call({ method: 'GET', path: `/orders/${orderId}`, caller: ALICE });

    // Assert
    expect(afterReserve.batchItemFailures).toEqual([]);
    expect(authorize).toMatchObject({
      type: 'AuthorizePayment',
      payload: { orderId, amountCents: 2500, currency: 'EUR' },
    });
    expect(afterAuthorize.batchItemFailures).toEqual([]);
    expect(rename.batchItemFailures).toEqual([]);
    expect(orderSchema.parse(read.json)).toMatchObject({ status: 'CONFIRMED', items: [{ name: 'Big mug' }] });
  });

  it('report a poison reply as failed and a reply whose send fails as failed, for redelivery', async () => {
    // Arrange
    await drain('catalog-requests');
    const { orderId } = orderAcceptedSchema.parse((await placeOrder('key-saga-0002')).json);
    const [reserve] = await drain('catalog-requests');
    if (reserve === undefined) throw new Error('no ReserveStock sent');
    const reserved = reply(reserve, 'StockReserved', { orderId });
    sqs.deleteQueue('payments-requests', { region: 'eu-west-1' });

    // Act
    const poison = await replies({ ...reserved, type: 'StockTeleported' });
    const failed = await replies(reserved);
    sqs.createQueue('payments-requests', { region: 'eu-west-1' });
    const redelivered = await replies(reserved);

    // Assert
    expect(poison.batchItemFailures).toHaveLength(1);
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect((await drain('payments-requests')).map((r) => r.type)).toEqual(['AuthorizePayment']);
  });

  it('sweep orders past their deadline into TIMEOUT with both compensations', async () => {
    // Arrange
    const repository = new DynamoDbOrderRepository({ client, tableName, ttlAttribute: 'expiresAt' });
    const vault = LocalCardVault.fromBase64(encryptionKey);
    const orderId = `expired-${randomUUID()}`;
    const order = orderFixture({
      orderId,
      userId: 'alice',
      createdAt: '2026-01-01T00:00:00.000Z',
      deadline: '2026-01-01T00:02:00.000Z',
    });
    await repository.place({
      record: {
        userId: 'alice',
        key: `key-${orderId}`,
        fingerprint: 'f',
        orderId,
        createdAt: order.createdAt,
      },
      order,
      sealedCard: await vault.seal(CARD, orderId),
      event: {
        id: randomUUID(),
        type: 'OrderPlaced',
        version: 1,
        source: 'quanta.orders',
        occurredAt: order.createdAt,
        correlationId: 'c',
        causationId: 'c',
        data: {},
      },
    });
    await drain('catalog-requests');
    await drain('payments-requests');
    const { handler } = await import('../functions/sweeper');

    // Act
    const summary = await handler({}, lambdaContext({ getRemainingTimeInMillis: () => 60_000 }));

    // Assert
    expect(summary.timedOut).toBeGreaterThanOrEqual(1);
    expect(await repository.get(orderId)).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT' });
    expect(
      (await drain('catalog-requests')).some(
        (r) => r.type === 'ReleaseStock' && (r.payload as { orderId: string }).orderId === orderId,
      ),
    ).toBe(true);
    expect((await drain('payments-requests')).some((r) => r.type === 'RefundPayment')).toBe(true);
  });

  it('relay nothing from a stream batch without outbox items', async () => {
    // Arrange
    const { handler } = await import('../functions/outboxRelay');
    const empty: DynamoDBStreamEvent = { Records: [] };

    // Act
    const result = await handler(empty, lambdaContext());

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
  });
});

describe('orders api function with catalog’s facade down', () => {
  it('still answers a replay of a placed order while catalog fails', async () => {
    // Arrange
    facade.state.mode = 'ok';
    const key = `key-replay-down-${randomUUID().slice(0, 8)}`;
    const first = await placeOrder(key);
    facade.state.mode = 'error';

    // Act
    const replay = await placeOrder(key);
    const fresh = await placeOrder(`key-fresh-down-${randomUUID().slice(0, 8)}`);

    // Assert
    expect(first.status).toBe(202);
    expect(replay).toMatchObject({ status: 202, json: first.json });
    expect(fresh.status).toBe(503);
  });

  it('answers 503 within the facade timeout when catalog hangs, then fails fast once the circuit opens', async () => {
    // Arrange
    facade.state.mode = 'hang';

    // Act
    const attempts = [];
    for (let i = 0; i < FACADE_FAILURE_THRESHOLD + 1; i++)
      attempts.push(await placeOrder(`key-down-000${i}`));

    // Assert
    for (const attempt of attempts) {
      expect(attempt.status).toBe(503);
      expect(errorBodySchema.safeParse(attempt.json).success).toBe(true);
    }
    expect(attempts[0]?.ms).toBeGreaterThanOrEqual(FACADE_TIMEOUT_MS - 20);
    expect(attempts[0]?.ms).toBeLessThan(FACADE_TIMEOUT_MS + 1500);
    expect(attempts.at(-1)?.ms).toBeLessThan(100);
  });
});

describe('card data', () => {
  it('never stores a card number in clear, and no function ever logged it', async () => {
    // Arrange
    const items = await scanAll(client, tableName);
    const logs = output.join('');

    // Act
    const storedWhole = JSON.stringify(items).includes(PAN);
    const loggedWhole = logs.includes(PAN);

    // Assert
    expect(items.some((i) => i.sk === 'CARD')).toBe(true);
    expect(logs.length).toBeGreaterThan(0);
    expect(storedWhole).toBe(false);
    expect(loggedWhole).toBe(false);
    expect(logs).not.toContain('"cvc"');
  });
});
