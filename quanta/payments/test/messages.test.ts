import {
  getPaymentResponseSchema,
  PaymentAuthorizedReply,
  PaymentDeclinedReply,
  PaymentRefunded,
} from '@quanta/contracts/payments';
import { httpHandler } from '@quanta/runtime/http';
import { createFacadeRouter } from '@quanta/runtime/http/router';
import { messageBatchHandler } from '@quanta/runtime/messaging';
import { createObservability } from '@quanta/runtime/observability';
import { lambdaContext, RecordingReplySender, testObservability } from '@quanta/runtime/testing';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../adapters/SimulatedCardProcessor';
import { cardSafeLogger } from '../functions/environment';
import { messages } from '../functions/messages';
import { operations } from '../functions/operations';
import payments from '../quantum';
import { buildTestPayments } from './fakes/buildTestPayments';
import { captureOutput } from './fakes/captureOutput';
import { authorizeRequest, refundRequest, requestEnvelope, sqsEvent, sqsRecord } from './fakes/requestEvents';

/** payments' `requests` function body over in-memory ports, with recorded replies. */
function requestsFunction(options: { logger?: 'silent' | 'debug' } = {}) {
  const built = buildTestPayments();
  // The test clock drives the service; the envelopes' deadlines are built from it.
  const replies = new RecordingReplySender();
  const observability =
    options.logger === 'debug'
      ? createObservability({
          serviceName: payments.name,
          logger: cardSafeLogger(payments.name, { logLevel: 'DEBUG' }),
          metrics: testObservability().metrics,
        })
      : testObservability('payments');
  const handler = messageBatchHandler({
    handlers: messages({ service: built.service, replies, metrics: observability.metrics }),
    observability,
  });
  const deadline = () => new Date(built.clock.current.getTime() + 60_000);
  const invoke = (...records: Parameters<typeof sqsEvent>) => handler(sqsEvent(...records), lambdaContext());
  return { ...built, replies, invoke, deadline };
}

describe('payments request handlers', () => {
  it('authorizes and replies PaymentAuthorized to the requester, with the request correlation id', async () => {
    // Arrange
    const fn = requestsFunction();
    const request = authorizeRequest('ord-1', TEST_CARDS.authorized, {
      deadline: fn.deadline(),
      correlationId: 'c-1',
    });

    // Act
    const result = await fn.invoke(sqsRecord(request));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(fn.replies.replies).toHaveLength(1);
    const [reply] = fn.replies.replies;
    expect(reply).toMatchObject({
      request: { replyTo: 'orders', correlationId: 'c-1' },
      type: PaymentAuthorizedReply.type,
    });
    expect(PaymentAuthorizedReply.payload.parse(reply?.payload)).toEqual({
      orderId: 'ord-1',
      paymentId: fn.payments.intents.get('ord-1')?.paymentId,
      last4: '4242',
    });
    expect(JSON.stringify(reply?.request)).not.toContain(TEST_CARDS.authorized);
  });

  it.each([
    [TEST_CARDS.declined, 'CARD_DECLINED'],
    [TEST_CARDS.insufficientFunds, 'INSUFFICIENT_FUNDS'],
    ['4111111111111112', 'INVALID_CARD'],
  ])('replies PaymentDeclined for card %s with %s', async (number, reason) => {
    // Arrange
    const fn = requestsFunction();

    // Act
    const result = await fn.invoke(sqsRecord(authorizeRequest('ord-2', number, { deadline: fn.deadline() })));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(fn.replies.replies.map((r) => [r.type, r.payload])).toEqual([
      [PaymentDeclinedReply.type, { orderId: 'ord-2', reason }],
    ]);
  });

  it('replies the same outcome again to a redelivered request and charges once', async () => {
    // Arrange
    const fn = requestsFunction();
    const request = authorizeRequest('ord-3', TEST_CARDS.authorized, { deadline: fn.deadline() });
    const record = sqsRecord(request);

    // Act
    await fn.invoke(record);
    await fn.invoke({ ...sqsRecord(request, 2, record.messageId) });

    // Assert
    expect(fn.replies.replies).toHaveLength(2);
    expect(fn.replies.replies[1]?.payload).toEqual(fn.replies.replies[0]?.payload);
    expect(fn.processor.charges()).toBe(1);
    expect(fn.payments.outbox).toHaveLength(1);
  });

  it('commits before replying: when the reply fails, the redelivery replies the recorded outcome', async () => {
    // Arrange
    const fn = requestsFunction();
    const request = authorizeRequest('ord-4', TEST_CARDS.authorized, { deadline: fn.deadline() });
    const record = sqsRecord(request);
    fn.replies.failNext = 1;

    // Act
    const failed = await fn.invoke(record);
    const committed = fn.payments.intents.get('ord-4')?.status;
    const retried = await fn.invoke(sqsRecord(request, 2, record.messageId));

    // Assert
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(committed).toBe('AUTHORIZED');
    expect(retried.batchItemFailures).toEqual([]);
    expect(fn.replies.replies.map((r) => r.type)).toEqual(['PaymentAuthorized']);
    expect(fn.processor.authorizations).toHaveLength(1);
  });

  it('fails a processing error for redelivery twice, then replies PaymentDeclined PROCESSING_ERROR on the 3rd delivery', async () => {
    // Arrange
    const fn = requestsFunction();
    const request = authorizeRequest('ord-5', TEST_CARDS.processingError, { deadline: fn.deadline() });
    const first = sqsRecord(request, 1);

    // Act
    const deliveries = [];
    for (const receiveCount of [1, 2, 3]) {
      deliveries.push(await fn.invoke(sqsRecord(request, receiveCount, first.messageId)));
    }

    // Assert
    expect(deliveries.map((d) => d.batchItemFailures)).toEqual([
      [{ itemIdentifier: first.messageId }],
      [{ itemIdentifier: first.messageId }],
      [],
    ]);
    expect(fn.replies.replies.map((r) => [r.type, r.payload])).toEqual([
      [PaymentDeclinedReply.type, { orderId: 'ord-5', reason: 'PROCESSING_ERROR' }],
    ]);
  });

  it('neither charges nor replies to a request past its deadline, and does not fail it', async () => {
    // Arrange
    const fn = requestsFunction();
    const late = authorizeRequest('ord-6', TEST_CARDS.authorized, {
      deadline: new Date(fn.clock.current.getTime() - 1000),
    });

    // Act
    const result = await fn.invoke(sqsRecord(late));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(fn.replies.replies).toEqual([]);
    expect(fn.processor.authorizations).toEqual([]);
    expect(fn.payments.intents.size).toBe(0);
  });

  it('replies PaymentRefunded, and declines a late authorization after a refund that came first', async () => {
    // Arrange
    const fn = requestsFunction();
    const refund = refundRequest('ord-7', { deadline: fn.deadline() });
    const authorize = authorizeRequest('ord-7', TEST_CARDS.authorized, { deadline: fn.deadline() });

    // Act
    const result = await fn.invoke(sqsRecord(refund), sqsRecord(authorize));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(fn.replies.replies.map((r) => [r.type, r.payload])).toEqual([
      [PaymentRefunded.type, { orderId: 'ord-7', refunded: false }],
      [PaymentDeclinedReply.type, { orderId: 'ord-7', reason: 'VOIDED' }],
    ]);
    expect(fn.processor.authorizations).toEqual([]);
  });

  it('reports malformed requests as failed (poison, to the DLQ) without crashing the batch', async () => {
    // Arrange
    const fn = requestsFunction();
    const valid = authorizeRequest('ord-8', TEST_CARDS.authorized, { deadline: fn.deadline() });
    const poison = [
      sqsRecord('not json {'),
      sqsRecord({ hello: 'world' }),
      sqsRecord(requestEnvelope({ type: 'ChargeEverything', payload: { orderId: 'ord-8' } })),
      sqsRecord({ ...valid, version: 2 }),
      sqsRecord({ ...valid, payload: { ...valid.payload, card: undefined } }),
      sqsRecord({ ...valid, payload: { ...valid.payload, amountCents: -1 } }),
      sqsRecord({ ...valid, payload: { ...valid.payload, currency: 'euro' } }),
      sqsRecord({ ...valid, payload: { ...valid.payload, card: { number: '4242abcd42424242' } } }),
      sqsRecord({ ...valid, payload: { ...valid.payload, card: { number: 4242424242424242 } } }),
      sqsRecord({ ...valid, payload: { ...valid.payload, orderId: '../../etc' } }),
      sqsRecord({ ...valid, deadline: 'tomorrow' }),
      sqsRecord(refundRequest('')),
    ];

    // Act
    const result = await fn.invoke(...poison, sqsRecord(valid));

    // Assert
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      poison.map((r) => r.messageId).sort(),
    );
    expect(fn.replies.replies.map((r) => r.type)).toEqual(['PaymentAuthorized']);
    expect(fn.payments.intents.size).toBe(1);
  });

  it('never lets a whole card number reach a log, a reply or an event, even from a poison message', async () => {
    // Arrange
    const fn = requestsFunction({ logger: 'debug' });
    const numbers = [
      TEST_CARDS.authorized,
      TEST_CARDS.declined,
      TEST_CARDS.processingError,
      '5555555555554444',
    ];
    const records = [
      sqsRecord(authorizeRequest('ord-9', TEST_CARDS.authorized, { deadline: fn.deadline() })),
      sqsRecord(authorizeRequest('ord-10', TEST_CARDS.declined, { deadline: fn.deadline() })),
      sqsRecord(authorizeRequest('ord-11', TEST_CARDS.processingError, { deadline: fn.deadline() })),
      // Poison: no currency, so the runtime logs its (redacted) body.
      sqsRecord({
        ...authorizeRequest('ord-12', '5555 5555 5555 4444', { deadline: fn.deadline() }),
        payload: { orderId: 'ord-12', amountCents: 1, card: { number: '5555 5555 5555 4444', cvc: '321' } },
      }),
    ];
    const output = captureOutput();

    // Act
    let result: Awaited<ReturnType<typeof fn.invoke>>;
    try {
      result = await fn.invoke(...records);
    } finally {
      output.restore();
    }

    // Assert
    const logs = output.text();
    const everything = [
      logs,
      JSON.stringify(fn.replies.replies),
      JSON.stringify(fn.payments.outbox),
      JSON.stringify([...fn.payments.intents.values()]),
    ].join('\n');
    expect(result.batchItemFailures).toHaveLength(2);
    expect(logs).toContain('Poison message');
    expect(logs).toContain('ord-9');
    for (const number of numbers) {
      expect(everything).not.toContain(number);
      expect(everything.replace(/[\s-]/g, '')).not.toContain(number);
    }
    // The CVC is blanked wherever it appears, including inside the logged (escaped) body text.
    expect(logs).toMatch(/cvc\\?"\s*:\s*\\?"\*\*\*/);
    expect(logs).not.toMatch(/cvc\\?"\s*:\s*\\?"\d/);
  });
});

describe('payments facade', () => {
  function restEvent(operation: string, body: string, method = 'POST'): APIGatewayProxyEvent {
    return {
      resource: '/ops/{operation}',
      path: `/ops/${operation}`,
      httpMethod: method,
      headers: { 'Content-Type': 'application/json', 'x-correlation-id': 'corr-f' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { operation },
      stageVariables: null,
      requestContext: {
        requestId: 'r1',
        identity: { userArn: 'arn:aws:iam::111111111111:role/orders-replies' },
      },
      body,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;
  }

  it('answers GetPayment with the payment, 404 for an unknown order and 400 for a malformed body', async () => {
    // Arrange
    const fn = requestsFunction();
    await fn.invoke(
      sqsRecord(authorizeRequest('ord-20', TEST_CARDS.authorized, { deadline: fn.deadline() })),
    );
    const facade = httpHandler(createFacadeRouter(payments.facade ?? [], operations(fn.lookup)), {
      observability: testObservability('payments'),
    });

    // Act
    const found = await facade(
      restEvent('GetPayment', JSON.stringify({ orderId: 'ord-20' })),
      lambdaContext(),
    );
    const missing = await facade(
      restEvent('GetPayment', JSON.stringify({ orderId: 'ord-404' })),
      lambdaContext(),
    );
    const malformed = await facade(restEvent('GetPayment', JSON.stringify({ orderId: 42 })), lambdaContext());
    const notJson = await facade(restEvent('GetPayment', '{'), lambdaContext());
    const unknown = await facade(restEvent('Charge', '{}'), lambdaContext());

    // Assert
    expect(found.statusCode).toBe(200);
    expect(getPaymentResponseSchema.parse(JSON.parse(found.body))).toMatchObject({
      orderId: 'ord-20',
      status: 'AUTHORIZED',
      amountCents: 1999,
      currency: 'EUR',
      last4: '4242',
    });
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'PAYMENT_NOT_FOUND' } });
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(notJson.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(404);
  });
});
