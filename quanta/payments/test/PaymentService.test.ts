import { PaymentAuthorized, PaymentDeclined } from '@quanta/contracts/payments';
import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../adapters/SimulatedCardProcessor';
import { PaymentCard } from '../domain/PaymentCard';
import { PaymentInProgressError, PaymentNotFoundError, PaymentProcessingError } from '../errors';
import { buildTestPayments } from './fakes/buildTestPayments';

function command(orderId: string, number: string, amountCents = 1999) {
  return { orderId, amountCents, currency: 'EUR', card: PaymentCard.of({ number }) };
}

describe('PaymentService.authorize', () => {
  it('authorizes the 4242 test card, records the intent and writes PaymentAuthorized to the outbox', async () => {
    // Arrange
    const { service, payments, delivery } = buildTestPayments();

    // Act
    const { outcome, replayed } = await service.authorize(
      command('ord-1', TEST_CARDS.authorized),
      delivery({ messageId: '8d1c2f4e-7a51-4c1e-9a3b-0c7f3e2d1a10', correlationId: 'corr-7' }),
    );

    // Assert
    expect(replayed).toBe(false);
    expect(outcome).toMatchObject({ status: 'AUTHORIZED', orderId: 'ord-1', last4: '4242' });
    const intent = payments.intents.get('ord-1');
    expect(intent).toMatchObject({ status: 'AUTHORIZED', amountCents: 1999, currency: 'EUR', last4: '4242' });
    expect(intent?.lease).toBeUndefined();
    expect(payments.outbox).toHaveLength(1);
    const event = PaymentAuthorized.envelope.parse(payments.outbox[0]);
    expect(event.data).toEqual({
      orderId: 'ord-1',
      paymentId: intent?.paymentId,
      amountCents: 1999,
      currency: 'EUR',
      last4: '4242',
    });
    expect(event).toMatchObject({
      correlationId: 'corr-7',
      causationId: '8d1c2f4e-7a51-4c1e-9a3b-0c7f3e2d1a10',
    });
  });

  it.each([
    [TEST_CARDS.declined, 'CARD_DECLINED'],
    [TEST_CARDS.insufficientFunds, 'INSUFFICIENT_FUNDS'],
    ['4242424242424241', 'INVALID_CARD'],
  ] as const)('declines card %s with %s and writes PaymentDeclined to the outbox', async (number, reason) => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();

    // Act
    const { outcome } = await service.authorize(command('ord-2', number, 500), delivery());

    // Assert
    expect(outcome).toEqual({ status: 'DECLINED', orderId: 'ord-2', reason });
    expect(payments.intents.get('ord-2')).toMatchObject({ status: 'DECLINED', declineReason: reason });
    expect(PaymentDeclined.envelope.parse(payments.outbox[0]).data).toEqual({
      orderId: 'ord-2',
      reason,
      amountCents: 500,
      currency: 'EUR',
    });
    expect(processor.charges()).toBe(0);
  });

  it('answers a duplicate request with the recorded outcome without asking the processor again', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();
    const first = await service.authorize(command('ord-3', TEST_CARDS.authorized), delivery());

    // Act
    const again = await service.authorize(command('ord-3', TEST_CARDS.authorized), delivery());
    const redelivered = await service.authorize(
      command('ord-3', TEST_CARDS.authorized),
      delivery({ receiveCount: 2 }),
    );

    // Assert
    expect(again).toEqual({ outcome: first.outcome, replayed: true });
    expect(redelivered).toEqual({ outcome: first.outcome, replayed: true });
    expect(processor.authorizations).toHaveLength(1);
    expect(processor.charges()).toBe(1);
    expect(payments.outbox).toHaveLength(1);
  });

  it('creates the intent of a first request without reading it, and reads it only for a duplicate', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();

    // Act
    const first = await service.authorize(command('ord-30', TEST_CARDS.authorized), delivery());
    const readsOnFirst = payments.finds;
    const duplicate = await service.authorize(command('ord-30', TEST_CARDS.authorized), delivery());

    // Assert
    expect(first).toMatchObject({ outcome: { status: 'AUTHORIZED' }, replayed: false });
    expect(readsOnFirst).toBe(0);
    expect(duplicate).toEqual({ outcome: first.outcome, replayed: true });
    expect(payments.finds).toBe(1);
    expect(processor.charges()).toBe(1);
  });

  it('keeps the recorded amount when a duplicate asks for a different one', async () => {
    // Arrange
    const { service, payments, delivery } = buildTestPayments();
    await service.authorize(command('ord-4', TEST_CARDS.authorized, 1000), delivery());

    // Act
    const { outcome } = await service.authorize(command('ord-4', TEST_CARDS.authorized, 9999), delivery());

    // Assert
    expect(outcome.status).toBe('AUTHORIZED');
    expect(payments.intents.get('ord-4')?.amountCents).toBe(1000);
  });

  it('retries a processing error by throwing, then declines with PROCESSING_ERROR on the 3rd delivery', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();
    const card = command('ord-5', TEST_CARDS.processingError);
    const message = delivery();

    // Act
    const first = service.authorize(card, { ...message, receiveCount: 1 });
    await expect(first).rejects.toBeInstanceOf(PaymentProcessingError);
    const afterFirst = payments.intents.get('ord-5');
    const second = service.authorize(card, { ...message, receiveCount: 2 });
    await expect(second).rejects.toBeInstanceOf(PaymentProcessingError);
    const third = await service.authorize(card, { ...message, receiveCount: 3 });

    // Assert
    expect(afterFirst).toMatchObject({ status: 'PENDING', attempts: 1, lease: { until: 0 } });
    expect(third).toEqual({
      outcome: { status: 'DECLINED', orderId: 'ord-5', reason: 'PROCESSING_ERROR' },
      replayed: false,
    });
    expect(payments.intents.get('ord-5')).toMatchObject({ status: 'DECLINED', attempts: 3 });
    expect(processor.authorizations.map((a) => a.outcome)).toEqual([
      'PROCESSING_ERROR',
      'PROCESSING_ERROR',
      'PROCESSING_ERROR',
    ]);
    expect(new Set(processor.authorizations.map((a) => a.paymentId)).size).toBe(1);
    expect(PaymentDeclined.envelope.parse(payments.outbox[0]).data.reason).toBe('PROCESSING_ERROR');
    expect(payments.outbox).toHaveLength(1);
  });

  it('gives up on the 3rd delivery even when earlier deliveries never reached the processor', async () => {
    // Arrange
    const { service, payments, delivery } = buildTestPayments();

    // Act
    const { outcome } = await service.authorize(
      command('ord-6', TEST_CARDS.processingError),
      delivery({ receiveCount: 3 }),
    );

    // Assert
    expect(outcome).toEqual({ status: 'DECLINED', orderId: 'ord-6', reason: 'PROCESSING_ERROR' });
    expect(payments.intents.get('ord-6')?.attempts).toBe(1);
  });

  it('does not act on a request past its deadline: no charge, no state, no event', async () => {
    // Arrange
    const { service, payments, processor, clock, delivery } = buildTestPayments();
    const late = delivery({ deadline: new Date(clock.current.getTime() - 1) });

    // Act
    const { outcome } = await service.authorize(command('ord-7', TEST_CARDS.authorized), late);

    // Assert
    expect(outcome).toEqual({ status: 'EXPIRED', orderId: 'ord-7' });
    expect(payments.intents.size).toBe(0);
    expect(payments.outbox).toHaveLength(0);
    expect(processor.authorizations).toHaveLength(0);
  });

  it('declines a retry that arrives after the deadline without asking the processor again', async () => {
    // Arrange
    const { service, payments, processor, clock, delivery } = buildTestPayments();
    const message = delivery();
    await expect(
      service.authorize(command('ord-8', TEST_CARDS.processingError), message),
    ).rejects.toBeInstanceOf(PaymentProcessingError);
    clock.advance(61_000);

    // Act
    const { outcome } = await service.authorize(command('ord-8', TEST_CARDS.processingError), {
      ...message,
      receiveCount: 2,
    });

    // Assert
    expect(outcome).toEqual({ status: 'DECLINED', orderId: 'ord-8', reason: 'PROCESSING_ERROR' });
    expect(processor.authorizations).toHaveLength(1);
    expect(processor.refunds).toHaveLength(1);
    expect(payments.outbox).toHaveLength(1);
  });

  it('answers the recorded outcome to a duplicate that arrives after the deadline', async () => {
    // Arrange
    const { service, clock, delivery } = buildTestPayments();
    const first = await service.authorize(command('ord-9', TEST_CARDS.authorized), delivery());
    clock.advance(120_000);

    // Act
    const late = await service.authorize(
      command('ord-9', TEST_CARDS.authorized),
      delivery({ deadline: new Date(clock.current.getTime() - 60_000) }),
    );

    // Assert
    expect(late).toEqual({ outcome: first.outcome, replayed: true });
  });

  it('tells a concurrent duplicate to retry while another invocation holds the intent', async () => {
    // Arrange
    const { service, payments, clock, delivery } = buildTestPayments();
    payments.intents.set('ord-10', {
      orderId: 'ord-10',
      paymentId: 'pay-10',
      status: 'PENDING',
      amountCents: 100,
      currency: 'EUR',
      last4: '4242',
      attempts: 0,
      lease: { owner: 'someone-else', until: clock.current.getTime() + 10_000 },
      createdAt: clock.current.toISOString(),
      updatedAt: clock.current.toISOString(),
    });

    // Act
    const duplicate = service.authorize(command('ord-10', TEST_CARDS.authorized), delivery());

    // Assert
    await expect(duplicate).rejects.toBeInstanceOf(PaymentInProgressError);
  });

  it('takes over an intent whose holder crashed and authorizes it under the same payment id', async () => {
    // Arrange
    const { service, payments, processor, clock, delivery } = buildTestPayments();
    payments.intents.set('ord-11', {
      orderId: 'ord-11',
      paymentId: 'pay-11',
      status: 'PENDING',
      amountCents: 100,
      currency: 'EUR',
      last4: '4242',
      attempts: 0,
      lease: { owner: 'crashed', until: clock.current.getTime() - 1 },
      createdAt: clock.current.toISOString(),
      updatedAt: clock.current.toISOString(),
    });

    // Act
    const { outcome } = await service.authorize(
      command('ord-11', TEST_CARDS.authorized),
      delivery({ receiveCount: 2 }),
    );

    // Assert
    expect(outcome).toEqual({ status: 'AUTHORIZED', orderId: 'ord-11', paymentId: 'pay-11', last4: '4242' });
    expect(processor.authorizations).toEqual([{ paymentId: 'pay-11', outcome: 'AUTHORIZED' }]);
  });
});

describe('PaymentService.refund', () => {
  it('refunds an authorized payment once, however often it is asked', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();
    await service.authorize(command('ord-20', TEST_CARDS.authorized), delivery());

    // Act
    const first = await service.refund('ord-20', { correlationId: 'corr-1' });
    const second = await service.refund('ord-20', { correlationId: 'corr-1' });

    // Assert
    expect(first).toEqual({ orderId: 'ord-20', refunded: true });
    expect(second).toEqual({ orderId: 'ord-20', refunded: true });
    expect(payments.intents.get('ord-20')?.status).toBe('REFUNDED');
    expect(processor.refunds).toHaveLength(1);
  });

  it('answers a redelivered authorization of a refunded payment with its authorization, not a new charge', async () => {
    // Arrange
    const { service, processor, delivery } = buildTestPayments();
    const first = await service.authorize(command('ord-21', TEST_CARDS.authorized), delivery());
    await service.refund('ord-21', { correlationId: 'corr-1' });

    // Act
    const again = await service.authorize(command('ord-21', TEST_CARDS.authorized), delivery());

    // Assert
    expect(again).toEqual({ outcome: first.outcome, replayed: true });
    expect(processor.authorizations).toHaveLength(1);
  });

  it('refunds nothing for a declined payment', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();
    await service.authorize(command('ord-22', TEST_CARDS.declined), delivery());

    // Act
    const result = await service.refund('ord-22', { correlationId: 'corr-1' });

    // Assert
    expect(result).toEqual({ orderId: 'ord-22', refunded: false });
    expect(payments.intents.get('ord-22')?.status).toBe('DECLINED');
    expect(processor.refunds).toHaveLength(0);
  });

  it('leaves a tombstone when nothing was authorized, so a late authorization is declined and never charged', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();

    // Act
    const refund = await service.refund('ord-23', { correlationId: 'corr-1' });
    const refundAgain = await service.refund('ord-23', { correlationId: 'corr-1' });
    const late = await service.authorize(command('ord-23', TEST_CARDS.authorized), delivery());

    // Assert
    expect(refund).toEqual({ orderId: 'ord-23', refunded: false });
    expect(refundAgain).toEqual({ orderId: 'ord-23', refunded: false });
    expect(payments.intents.get('ord-23')?.status).toBe('VOIDED');
    expect(late).toEqual({
      outcome: { status: 'DECLINED', orderId: 'ord-23', reason: 'VOIDED' },
      replayed: true,
    });
    expect(processor.authorizations).toHaveLength(0);
    expect(payments.outbox).toHaveLength(0);
  });

  it('waits (retries) while an authorization is in flight, then refunds what it authorized', async () => {
    // Arrange
    const { service, payments, clock, delivery } = buildTestPayments();
    const now = clock.current.getTime();
    payments.intents.set('ord-24', {
      orderId: 'ord-24',
      paymentId: 'pay-24',
      status: 'PENDING',
      amountCents: 100,
      currency: 'EUR',
      last4: '4242',
      attempts: 0,
      lease: { owner: 'holder', until: now + 10_000 },
      createdAt: clock.current.toISOString(),
      updatedAt: clock.current.toISOString(),
    });

    // Act
    const during = service.refund('ord-24', { correlationId: 'corr-1' });
    await expect(during).rejects.toBeInstanceOf(PaymentInProgressError);
    clock.advance(11_000);
    await service.authorize(command('ord-24', TEST_CARDS.authorized), delivery({ receiveCount: 2 }));
    const after = await service.refund('ord-24', { correlationId: 'corr-1' });

    // Assert
    expect(after).toEqual({ orderId: 'ord-24', refunded: true });
    expect(payments.intents.get('ord-24')?.status).toBe('REFUNDED');
  });

  it('voids an authorization waiting for a retry, so its retry is declined and never charged', async () => {
    // Arrange
    const { service, payments, processor, delivery } = buildTestPayments();
    const message = delivery();
    await expect(
      service.authorize(command('ord-25', TEST_CARDS.processingError), message),
    ).rejects.toBeInstanceOf(PaymentProcessingError);

    // Act
    const refund = await service.refund('ord-25', { correlationId: 'corr-1' });
    const retry = await service.authorize(command('ord-25', TEST_CARDS.processingError), {
      ...message,
      receiveCount: 2,
    });

    // Assert
    expect(refund).toEqual({ orderId: 'ord-25', refunded: false });
    expect(retry.outcome).toEqual({ status: 'DECLINED', orderId: 'ord-25', reason: 'VOIDED' });
    expect(payments.intents.get('ord-25')?.status).toBe('VOIDED');
    expect(processor.authorizations).toHaveLength(1);
    expect(processor.refunds).toHaveLength(1);
  });
});

describe('PaymentLookup.get', () => {
  it('returns the payment with its last 4 digits, and the decline reason of a declined one', async () => {
    // Arrange
    const { service, lookup, delivery } = buildTestPayments();
    await service.authorize(command('ord-30', TEST_CARDS.authorized), delivery());
    await service.authorize(command('ord-31', TEST_CARDS.insufficientFunds), delivery());

    // Act
    const authorized = await lookup.get('ord-30');
    const declined = await lookup.get('ord-31');

    // Assert
    expect(authorized).toMatchObject({
      orderId: 'ord-30',
      status: 'AUTHORIZED',
      amountCents: 1999,
      last4: '4242',
    });
    expect(authorized).not.toHaveProperty('declineReason');
    expect(declined).toMatchObject({
      status: 'DECLINED',
      declineReason: 'INSUFFICIENT_FUNDS',
      last4: '9995',
    });
  });

  it('answers 404 PAYMENT_NOT_FOUND for an unknown order and for a voided one', async () => {
    // Arrange
    const { service, lookup } = buildTestPayments();
    await service.refund('ord-33', { correlationId: 'corr-1' });

    // Act
    const unknown = lookup.get('ord-32');
    const voided = lookup.get('ord-33');

    // Assert
    await expect(unknown).rejects.toBeInstanceOf(PaymentNotFoundError);
    await expect(voided).rejects.toMatchObject({ status: 404, code: 'PAYMENT_NOT_FOUND' });
  });
});
