import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { PaymentAuthorized, PaymentDeclined } from '@quanta/contracts/payments';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPaymentRepository } from '../adapters/DynamoDbPaymentRepository';
import { SimulatedCardProcessor, TEST_CARDS } from '../adapters/SimulatedCardProcessor';
import { PaymentCard } from '../domain/PaymentCard';
import { PaymentInProgressError, PaymentProcessingError } from '../errors';
import { PaymentService } from '../service/PaymentService';
import { buildTestPayments } from './fakes/buildTestPayments';
import { CountingCardProcessor } from './fakes/CountingCardProcessor';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'payments');
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

let counter = 0;
function newOrderId(): string {
  counter++;
  return `ord-${Date.now().toString(36)}-${counter}`;
}

function command(orderId: string, number: string) {
  return { orderId, amountCents: 2500, currency: 'EUR', card: PaymentCard.of({ number }) };
}

function onTable() {
  return buildTestPayments({
    payments: new DynamoDbPaymentRepository({ client, tableName, ttlAttribute: 'expiresAt' }),
  });
}

async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey !== undefined);
  return items;
}

async function outboxFor(orderId: string) {
  return (await scanTable())
    .filter((i) => String(i.pk).startsWith('OUTBOX#'))
    .map((i) => eventEnvelopeBaseSchema.parse(JSON.parse(String(i.envelope))))
    .filter((e) => (e.data as { orderId?: string }).orderId === orderId);
}

/** Retries `work` while it reports the intent busy, like SQS redelivering the message. */
async function untilSettled<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof PaymentInProgressError) || attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('DynamoDbPaymentRepository', () => {
  it('stores the settled intent and its event together, with the last 4 digits only', async () => {
    // Arrange
    const { service, payments, delivery } = onTable();
    const orderId = newOrderId();

    // Act
    const { outcome } = await service.authorize(command(orderId, TEST_CARDS.authorized), delivery());

    // Assert
    const intent = await payments.find(orderId);
    expect(intent).toMatchObject({
      orderId,
      status: 'AUTHORIZED',
      amountCents: 2500,
      currency: 'EUR',
      last4: '4242',
    });
    expect(intent?.authorizationCode).toMatch(/^SIM-/);
    expect(intent?.lease).toBeUndefined();
    const [event, ...more] = await outboxFor(orderId);
    expect(more).toEqual([]);
    expect(PaymentAuthorized.envelope.parse(event).data).toMatchObject({ orderId, last4: '4242' });
    expect(outcome).toMatchObject({ status: 'AUTHORIZED', paymentId: intent?.paymentId });
  });

  it('creates exactly one intent, one charge and one event for 10 concurrent duplicate authorizations', async () => {
    // Arrange: a slow processor, so the duplicates find the intent held (PENDING) and must retry.
    const processor = new CountingCardProcessor(new SimulatedCardProcessor({ latencyMs: 150 }));
    const payments = new DynamoDbPaymentRepository({ client, tableName, ttlAttribute: 'expiresAt' });
    const service = new PaymentService({ payments, processor });
    const orderId = newOrderId();
    const deliver = () =>
      service.authorize(command(orderId, TEST_CARDS.authorized), {
        messageId: crypto.randomUUID(),
        correlationId: 'corr-1',
        deadline: new Date(Date.now() + 60_000),
        receiveCount: 1,
      });

    // Act
    const results = await Promise.allSettled(Array.from({ length: 10 }, deliver));
    const redeliveries = await Promise.all(
      results.filter((r) => r.status === 'rejected').map(() => untilSettled(deliver)),
    );

    // Assert
    const intents = (await scanTable()).filter((i) => i.pk === `PAYMENT#${orderId}`);
    expect(intents).toHaveLength(1);
    expect(processor.authorizations).toHaveLength(1);
    expect(processor.charges()).toBe(1);
    expect(await outboxFor(orderId)).toHaveLength(1);
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(rejected.length).toBeGreaterThan(0);
    for (const reason of rejected) expect(reason).toBeInstanceOf(PaymentInProgressError);
    const outcomes = [
      ...results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.outcome] : [])),
      ...redeliveries.map((r) => r.outcome),
    ];
    expect(outcomes).toHaveLength(10);
    expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'AUTHORIZED', paymentId: intents[0]?.paymentId });
  });

  it('releases the lease after a processing error and lets the redelivery take over, declining on the 3rd', async () => {
    // Arrange
    const { service, payments, processor, delivery } = onTable();
    const orderId = newOrderId();
    const message = delivery();
    const card = command(orderId, TEST_CARDS.processingError);

    // Act
    await expect(service.authorize(card, message)).rejects.toBeInstanceOf(PaymentProcessingError);
    const released = await payments.find(orderId);
    await expect(service.authorize(card, { ...message, receiveCount: 2 })).rejects.toBeInstanceOf(
      PaymentProcessingError,
    );
    const third = await service.authorize(card, { ...message, receiveCount: 3 });

    // Assert
    expect(released).toMatchObject({ status: 'PENDING', attempts: 1, lease: { owner: '', until: 0 } });
    expect(third.outcome).toEqual({ status: 'DECLINED', orderId, reason: 'PROCESSING_ERROR' });
    expect(await payments.find(orderId)).toMatchObject({ status: 'DECLINED', attempts: 3 });
    expect(new Set(processor.authorizations.map((a) => a.paymentId)).size).toBe(1);
    const events = await outboxFor(orderId);
    expect(events.map((e) => PaymentDeclined.envelope.parse(e).data.reason)).toEqual(['PROCESSING_ERROR']);
  });

  it('refunds once on repeated refunds, and a refund before any authorization leaves a tombstone that declines', async () => {
    // Arrange
    const { service, payments, processor, delivery } = onTable();
    const paid = newOrderId();
    const never = newOrderId();
    await service.authorize(command(paid, TEST_CARDS.authorized), delivery());

    // Act
    const refunds = await Promise.all([
      untilSettled(() => service.refund(paid, { correlationId: 'c' })),
      untilSettled(() => service.refund(paid, { correlationId: 'c' })),
    ]);
    const tombstone = await service.refund(never, { correlationId: 'c' });
    const late = await service.authorize(command(never, TEST_CARDS.authorized), delivery());

    // Assert
    expect(refunds).toEqual([
      { orderId: paid, refunded: true },
      { orderId: paid, refunded: true },
    ]);
    expect((await payments.find(paid))?.status).toBe('REFUNDED');
    expect(tombstone).toEqual({ orderId: never, refunded: false });
    expect((await payments.find(never))?.status).toBe('VOIDED');
    expect(late.outcome).toEqual({ status: 'DECLINED', orderId: never, reason: 'VOIDED' });
    expect(processor.authorizations.map((a) => a.paymentId)).not.toContain(
      (await payments.find(never))?.paymentId,
    );
    expect(await outboxFor(never)).toEqual([]);
  });

  it('never leaves money taken when authorizations and refunds for the same orders race', async () => {
    // Arrange
    const processor = new CountingCardProcessor();
    const payments = new DynamoDbPaymentRepository({ client, tableName, ttlAttribute: 'expiresAt' });
    const service = new PaymentService({ payments, processor });
    const orders = Array.from({ length: 20 }, newOrderId);
    const delivery = () => ({
      messageId: crypto.randomUUID(),
      correlationId: 'corr-race',
      deadline: new Date(Date.now() + 60_000),
      receiveCount: 1,
    });

    // Act
    await Promise.all(
      orders.flatMap((orderId) => [
        untilSettled(() => service.authorize(command(orderId, TEST_CARDS.authorized), delivery())),
        untilSettled(() => service.refund(orderId, { correlationId: 'corr-race' })),
      ]),
    );

    // Assert
    const statuses = await Promise.all(orders.map(async (o) => (await payments.find(o))?.status));
    expect(statuses.every((s) => s === 'REFUNDED' || s === 'VOIDED')).toBe(true);
    const authorized = processor.authorizations
      .filter((a) => a.outcome === 'AUTHORIZED')
      .map((a) => a.paymentId);
    expect(authorized.every((paymentId) => processor.refunds.includes(paymentId))).toBe(true);
  });
});
