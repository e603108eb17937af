import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../ActivityStore';
import type { ActivityDirectory } from '../describeActivity';
import { describeActivity, idsIn, triggerOf } from '../describeActivity';

const directory: ActivityDirectory = {
  prefix: 'quanta',
  quantumOfQueue: new Map([
    ['quanta-catalog-requests', 'catalog'],
    ['quanta-catalog-requests-dlq', 'catalog'],
  ]),
  quantumOfSource: new Map([['quanta.orders', 'orders']]),
};

const invocation = (
  functionId: string,
  event: unknown,
  result: Extract<ActivityRecord, { kind: 'invocation' }>['result'],
) => ({ kind: 'invocation', seq: 5, at: 1000, functionId, event, result }) as const;

const sqsRecord = (messageId: string, body: unknown) => ({
  messageId,
  body: JSON.stringify(body),
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:quanta-catalog-requests',
});

const reserveStock = (correlationId: string, orderId: string) => ({
  messageId: 'e-1',
  correlationId,
  replyTo: 'orders',
  type: 'ReserveStock',
  payload: { orderId, items: [] },
});

describe('triggerOf', () => {
  it('tells every engine by the shape of the event it sends', () => {
    expect(triggerOf({ Records: [{ eventSource: 'aws:sqs' }] })).toBe('sqs');
    expect(triggerOf({ Records: [{ eventSource: 'aws:dynamodb' }] })).toBe('stream');
    expect(triggerOf({ source: 'quanta.scheduler', scheduleId: 'sweep' })).toBe('schedule');
    expect(triggerOf({ type: 'REQUEST', routeArn: 'arn' })).toBe('authorizer');
    expect(triggerOf({ requestContext: { eventType: 'MESSAGE' } })).toBe('websocket');
    expect(triggerOf({ httpMethod: 'POST', requestContext: {} })).toBe('facade');
    expect(triggerOf({ version: '2.0', requestContext: { http: { method: 'GET' } } })).toBe('http');
    expect(triggerOf('anything')).toBe('direct');
  });
});

describe('describeActivity', () => {
  it('reads an HTTP invocation: route, status, the correlation id the function echoed and the order it created', () => {
    const event = {
      version: '2.0',
      rawPath: '/orders',
      headers: {},
      body: '{"items":[]}',
      requestContext: { requestId: 'req-1', http: { method: 'POST' } },
    };
    const result = {
      ok: true as const,
      payload: {
        statusCode: 202,
        headers: { 'x-correlation-id': 'req-1' },
        body: '{"orderId":"o-1","status":"PENDING"}',
      },
      durationMs: 12,
      coldStart: true,
    };

    const [row] = describeActivity(invocation('orders.api', event, result), directory);

    expect(row).toMatchObject({
      kind: 'invocation',
      quantum: 'orders',
      trigger: 'http',
      title: 'orders.api: POST /orders → 202',
      outcome: 'ok',
      durationMs: 12,
      coldStart: true,
      correlationIds: ['req-1'],
      orderIds: ['o-1'],
    });
  });

  it('takes the x-correlation-id a caller sent over the request id, an API Gateway request id included', () => {
    const event = {
      httpMethod: 'POST',
      path: '/ops/GetProducts',
      headers: { 'X-Correlation-Id': 'Xk3P0a9Qm1cEJrA=' },
      requestContext: {
        requestId: 'r',
        identity: { userArn: 'arn:aws:sts::0:assumed-role/Orders-Role/quanta-orders' },
      },
    };

    const [row] = describeActivity(
      invocation('catalog.facade', event, {
        ok: true,
        payload: { statusCode: 200 },
        durationMs: 1,
        coldStart: false,
      }),
      directory,
    );

    expect(row).toMatchObject({
      trigger: 'facade',
      title: 'catalog.facade: facade GetProducts from orders → 200',
      correlationIds: ['Xk3P0a9Qm1cEJrA='],
    });
  });

  it('turns an SQS batch into the invocation plus one received or failed row per message', () => {
    const event = {
      Records: [sqsRecord('m-1', reserveStock('c-1', 'o-1')), sqsRecord('m-2', reserveStock('c-2', 'o-2'))],
    };
    const result = {
      ok: true as const,
      payload: { batchItemFailures: [{ itemIdentifier: 'm-2' }] },
      durationMs: 4,
      coldStart: false,
    };

    const rows = describeActivity(invocation('catalog.requests', event, result), directory);

    expect(rows.map((r) => [r.id, r.kind, r.outcome, r.title])).toEqual([
      [
        '5',
        'invocation',
        'partial',
        'catalog.requests: 2 messages (ReserveStock) from quanta-catalog-requests',
      ],
      [
        '5.1',
        'message',
        'received',
        'ReserveStock received by catalog.requests from quanta-catalog-requests',
      ],
      ['5.2', 'message', 'failed', 'ReserveStock failed in catalog.requests from quanta-catalog-requests'],
    ]);
    expect(rows[0]?.correlationIds).toEqual(['c-1', 'c-2']);
    expect(rows[2]).toMatchObject({ quantum: 'catalog', correlationIds: ['c-2'], orderIds: ['o-2'] });
  });

  it('fails every message of a batch whose invocation failed, and says why', () => {
    const event = { Records: [sqsRecord('m-1', reserveStock('c-1', 'o-1'))] };
    const result = {
      ok: false as const,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' },
      durationMs: 30_000,
      coldStart: false,
    };

    const rows = describeActivity(invocation('catalog.requests', event, result), directory);

    expect(rows.map((r) => r.outcome)).toEqual(['error', 'failed']);
    expect(rows[0]?.error).toBe('Sandbox.Timedout: Task timed out');
  });

  it('reads a bus event: its type, source, rules and the ids in its detail', () => {
    const record: ActivityRecord = {
      kind: 'event',
      seq: 1,
      at: 5,
      busName: 'quanta-bus',
      event: {
        version: '0',
        id: 'e',
        'detail-type': 'OrderConfirmed',
        source: 'quanta.orders',
        account: '0',
        time: 't',
        region: 'eu-west-1',
        resources: [],
        detail: { correlationId: 'c-1', data: { orderId: 'o-1' } },
      },
      rules: ['quanta-chat-order-events'],
    };

    expect(describeActivity(record, directory)[0]).toMatchObject({
      quantum: 'orders',
      title: 'OrderConfirmed from quanta.orders → quanta-chat-order-events',
      outcome: 'matched',
      correlationIds: ['c-1'],
      orderIds: ['o-1'],
    });
  });

  it('reads a message change and a push', () => {
    const message: ActivityRecord = {
      kind: 'message',
      seq: 2,
      at: 6,
      queue: 'quanta-catalog-requests-dlq',
      messageId: 'm',
      status: 'dead-lettered',
      body: JSON.stringify(reserveStock('c-1', 'o-1')),
    };
    const push: ActivityRecord = {
      kind: 'push',
      seq: 3,
      at: 7,
      connectionId: 'conn',
      data: Buffer.from('{"type":"order","orderId":"o-1","status":"CONFIRMED"}'),
      delivered: false,
    };

    expect(describeActivity(message, directory)[0]).toMatchObject({
      quantum: 'catalog',
      title: 'ReserveStock dead-lettered from quanta-catalog-requests-dlq',
      outcome: 'dead-lettered',
    });
    expect(describeActivity(push, directory)[0]).toMatchObject({
      title: 'WebSocket push: order CONFIRMED to conn',
      outcome: 'gone',
      correlationIds: [],
      orderIds: ['o-1'],
    });
  });
});

describe('idsIn', () => {
  it('finds ids in nested JSON text and in DynamoDB stream images', () => {
    const envelope = JSON.stringify({ correlationId: 'c-1', data: { orderId: 'o-1' } });
    const streamEvent = [{ dynamodb: { NewImage: { event: { S: envelope }, orderId: { S: 'o-2' } } } }];

    expect(idsIn(streamEvent)).toEqual({ correlationIds: ['c-1'], orderIds: ['o-1', 'o-2'] });
  });

  it('ignores text that is not JSON', () => {
    expect(idsIn({ body: 'orderId=o-1' })).toEqual({ correlationIds: [], orderIds: [] });
  });
});
