import { describe, expect, it } from 'vitest';
import {
  decideSaga,
  mayRequestPayment,
  type SagaContext,
  type SagaDecision,
  type SagaSignal,
} from '../domain/decideSaga';
import type { Order } from '../domain/Order';
import { orderFixture } from './fakes/orderFixture';

const NOW = new Date('2026-05-01T12:00:30.000Z');
const LATE = new Date('2026-05-01T12:02:00.000Z');

function decide(order: Order, signal: SagaSignal, context: Partial<SagaContext> = {}): SagaDecision {
  return decideSaga(order, signal, {
    now: NOW,
    messageId: 'm-new',
    compensationRetrySeconds: 60,
    ...context,
  });
}

function committed(decision: SagaDecision): Extract<SagaDecision, { kind: 'commit' }> {
  if (decision.kind !== 'commit') throw new Error(`expected a commit, got ${JSON.stringify(decision)}`);
  return decision;
}

const reserving = orderFixture();
const authorizing = orderFixture({
  step: 'AUTHORIZING',
  lastMessageId: 'm-reserved',
  lastCommands: ['AuthorizePayment'],
  version: 2,
});
const confirmed = orderFixture({
  status: 'CONFIRMED',
  step: 'DONE',
  paymentId: 'pay-1',
  lastMessageId: 'm-auth',
  lastCommands: [],
  version: 3,
});
const cancelledCompensating = orderFixture({
  status: 'CANCELLED',
  step: 'COMPENSATING',
  reason: 'TIMEOUT',
  compensations: { stock: 'PENDING', payment: 'PENDING' },
  nextCompensationAt: '2026-05-01T12:03:00.000Z',
  lastMessageId: 'sweep-1',
  lastCommands: ['ReleaseStock', 'RefundPayment'],
  version: 3,
});
const outOfStock = orderFixture({
  status: 'CANCELLED',
  step: 'DONE',
  reason: 'OUT_OF_STOCK',
  lastMessageId: 'm-unavailable',
  lastCommands: [],
  version: 2,
});

describe('decideSaga: the happy path', () => {
  it('moves a reserving order to AUTHORIZING on StockReserved and asks for the payment', () => {
    // Act
    const decision = committed(decide(reserving, { type: 'StockReserved' }));

    // Assert
    expect(decision.next).toMatchObject({
      status: 'PENDING',
      step: 'AUTHORIZING',
      version: 2,
      lastMessageId: 'm-new',
    });
    expect(decision.commands).toEqual(['AuthorizePayment']);
    expect(decision.event).toBeUndefined();
    expect(decision.deleteCard).toBe(false);
  });

  it('confirms an authorizing order on PaymentAuthorized, publishes OrderConfirmed and deletes the card', () => {
    // Act
    const decision = committed(decide(authorizing, { type: 'PaymentAuthorized', paymentId: 'pay-9' }));

    // Assert
    expect(decision.next).toMatchObject({
      status: 'CONFIRMED',
      step: 'DONE',
      paymentId: 'pay-9',
      version: 3,
    });
    expect(decision.event).toBe('OrderConfirmed');
    expect(decision.deleteCard).toBe(true);
    expect(decision.commands).toEqual([]);
  });

  it('confirms a payment authorized within the deadline even when its reply arrives after it', () => {
    // Act
    const decision = committed(
      decide(authorizing, { type: 'PaymentAuthorized', paymentId: 'pay-9' }, { now: LATE }),
    );

    // Assert
    expect(decision.next.status).toBe('CONFIRMED');
  });
});

describe('decideSaga: cancellations and compensations', () => {
  it('cancels a reserving order OUT_OF_STOCK on StockUnavailable with nothing to compensate', () => {
    // Act
    const decision = committed(decide(reserving, { type: 'StockUnavailable' }));

    // Assert
    expect(decision.next).toMatchObject({ status: 'CANCELLED', step: 'DONE', reason: 'OUT_OF_STOCK' });
    expect(decision.next.nextCompensationAt).toBeUndefined();
    expect(decision.event).toBe('OrderCancelled');
    expect(decision.deleteCard).toBe(true);
    expect(decision.commands).toEqual([]);
  });

  it.each([
    ['CARD_DECLINED', 'PAYMENT_DECLINED'],
    ['INVALID_CARD', 'PAYMENT_DECLINED'],
    ['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS'],
    ['PROCESSING_ERROR', 'PAYMENT_FAILED'],
  ] as const)(
    'cancels an authorizing order declined with %s as %s and releases its stock',
    (decline, reason) => {
      // Act
      const decision = committed(decide(authorizing, { type: 'PaymentDeclined', reason: decline }));

      // Assert
      expect(decision.next).toMatchObject({
        status: 'CANCELLED',
        step: 'COMPENSATING',
        reason,
        compensations: { stock: 'PENDING', payment: 'NONE' },
        nextCompensationAt: '2026-05-01T12:01:30.000Z',
      });
      expect(decision.event).toBe('OrderCancelled');
      expect(decision.deleteCard).toBe(true);
      expect(decision.commands).toEqual(['ReleaseStock']);
    },
  );

  it('cancels a pending order past its deadline with TIMEOUT and sends both compensations', () => {
    // Act
    const decision = committed(decide(authorizing, { type: 'DeadlinePassed' }, { now: LATE }));

    // Assert
    expect(decision.next).toMatchObject({ status: 'CANCELLED', reason: 'TIMEOUT', step: 'COMPENSATING' });
    expect(decision.commands).toEqual(['ReleaseStock', 'RefundPayment']);
    expect(decision.event).toBe('OrderCancelled');
  });

  it('leaves a pending order alone when the sweep saw it expired but its deadline has not passed', () => {
    // Act
    const decision = decide(reserving, { type: 'DeadlinePassed' }, { now: NOW });

    // Assert
    expect(decision.kind).toBe('ignore');
  });

  it('cancels instead of asking for a payment when stock is reserved after the deadline', () => {
    // Act
    const decision = committed(decide(reserving, { type: 'StockReserved' }, { now: LATE }));

    // Assert
    expect(decision.next).toMatchObject({
      status: 'CANCELLED',
      reason: 'TIMEOUT',
      compensations: { stock: 'PENDING', payment: 'NONE' },
    });
    expect(decision.commands).toEqual(['ReleaseStock']);
  });

  it('cancels a pending order at the customer’s request, compensating both', () => {
    // Act
    const decision = committed(decide(authorizing, { type: 'CancelRequested' }));

    // Assert
    expect(decision.next).toMatchObject({ status: 'CANCELLED', reason: 'CANCELLED_BY_CUSTOMER' });
    expect(decision.commands).toEqual(['ReleaseStock', 'RefundPayment']);
  });

  it.each([
    ['confirmed', confirmed],
    ['cancelled', outOfStock],
  ])('refuses a customer cancel of a %s order', (_, order) => {
    // Act
    const decision = decide(order, { type: 'CancelRequested' });

    // Assert
    expect(decision).toEqual({ kind: 'notPending' });
  });

  it('records StockReleased and keeps compensating while the refund is unacknowledged', () => {
    // Act
    const decision = committed(decide(cancelledCompensating, { type: 'StockReleased' }));

    // Assert
    expect(decision.next).toMatchObject({
      step: 'COMPENSATING',
      compensations: { stock: 'DONE', payment: 'PENDING' },
    });
    expect(decision.commands).toEqual([]);
  });

  it('finishes the saga when the last compensation is acknowledged', () => {
    // Arrange
    const released = orderFixture({
      ...cancelledCompensating,
      compensations: { stock: 'DONE', payment: 'PENDING' },
      version: 4,
    });

    // Act
    const decision = committed(decide(released, { type: 'PaymentRefunded' }));

    // Assert
    expect(decision.next).toMatchObject({ step: 'DONE', compensations: { stock: 'DONE', payment: 'DONE' } });
    expect(decision.next.nextCompensationAt).toBeUndefined();
  });

  it('ignores a compensation reply that is not awaited (a duplicate)', () => {
    // Arrange
    const done = orderFixture({
      ...cancelledCompensating,
      step: 'DONE',
      compensations: { stock: 'DONE', payment: 'DONE' },
    });

    // Act
    const decision = decide(done, { type: 'StockReleased' });

    // Assert
    expect(decision.kind).toBe('ignore');
  });

  it('re-sends due compensations with a doubling delay', () => {
    // Arrange
    const due = orderFixture({ ...cancelledCompensating, compensationAttempts: 2 });

    // Act
    const decision = committed(
      decide(due, { type: 'CompensationDue' }, { now: new Date('2026-05-01T12:03:00.000Z') }),
    );

    // Assert
    expect(decision.commands).toEqual(['ReleaseStock', 'RefundPayment']);
    expect(decision.next).toMatchObject({
      compensationAttempts: 3,
      nextCompensationAt: '2026-05-01T12:11:00.000Z',
    });
  });

  it('does not re-send compensations before they are due', () => {
    // Act
    const decision = decide(cancelledCompensating, { type: 'CompensationDue' }, { now: NOW });

    // Assert
    expect(decision.kind).toBe('ignore');
  });
});

describe('decideSaga: duplicates, redeliveries and races', () => {
  it('re-sends the transition’s requests when the message that made it is redelivered', () => {
    // Act
    const decision = decide(authorizing, { type: 'StockReserved' }, { messageId: 'm-reserved' });

    // Assert
    expect(decision).toMatchObject({ kind: 'send', commands: ['AuthorizePayment'] });
  });

  it('ignores a duplicate StockReserved that did not make the transition', () => {
    // Act
    const decision = decide(authorizing, { type: 'StockReserved' }, { messageId: 'm-duplicate' });

    // Assert
    expect(decision.kind).toBe('ignore');
  });

  it('re-sends the release when the decline that cancelled the order is redelivered', () => {
    // Arrange
    const declined = committed(
      decide(authorizing, { type: 'PaymentDeclined', reason: 'CARD_DECLINED' }, { messageId: 'm-declined' }),
    ).next;

    // Act
    const decision = decide(
      declined,
      { type: 'PaymentDeclined', reason: 'CARD_DECLINED' },
      { messageId: 'm-declined' },
    );

    // Assert
    expect(decision).toMatchObject({ kind: 'send', commands: ['ReleaseStock'] });
  });

  it('ignores a redelivered reply whose transition needed no request', () => {
    // Act
    const decision = decide(
      confirmed,
      { type: 'PaymentAuthorized', paymentId: 'pay-1' },
      { messageId: 'm-auth' },
    );

    // Assert
    expect(decision.kind).toBe('ignore');
  });

  it('releases stock reserved for an order that was cancelled meanwhile (timeout or customer)', () => {
    // Act
    const decision = decide(cancelledCompensating, { type: 'StockReserved' });

    // Assert
    expect(decision).toMatchObject({ kind: 'send', commands: ['ReleaseStock'] });
  });

  it('refunds and releases when a payment is authorized for an order cancelled meanwhile', () => {
    // Act
    const decision = decide(cancelledCompensating, { type: 'PaymentAuthorized', paymentId: 'pay-late' });

    // Assert
    expect(decision).toMatchObject({ kind: 'send', commands: ['RefundPayment', 'ReleaseStock'] });
  });

  it.each<[string, Order, SagaSignal]>([
    ['StockReserved on a confirmed order', confirmed, { type: 'StockReserved' }],
    ['StockUnavailable on an authorizing order', authorizing, { type: 'StockUnavailable' }],
    ['StockUnavailable on a cancelled order', outOfStock, { type: 'StockUnavailable' }],
    ['PaymentAuthorized on a confirmed order', confirmed, { type: 'PaymentAuthorized', paymentId: 'pay-2' }],
    ['PaymentAuthorized on a reserving order', reserving, { type: 'PaymentAuthorized', paymentId: 'pay-2' }],
    ['PaymentDeclined on a confirmed order', confirmed, { type: 'PaymentDeclined', reason: 'CARD_DECLINED' }],
    [
      'PaymentDeclined on a cancelled order',
      cancelledCompensating,
      { type: 'PaymentDeclined', reason: 'VOIDED' },
    ],
    ['DeadlinePassed on a confirmed order', confirmed, { type: 'DeadlinePassed' }],
  ])('ignores %s', (_, order, signal) => {
    // Act
    const decision = decide(order, signal, { now: LATE });

    // Assert
    expect(decision.kind).toBe('ignore');
  });

  it('decides every transition on the version it read, so only one of two racing writers can commit', () => {
    // Act
    const byTimeout = committed(decide(authorizing, { type: 'DeadlinePassed' }, { now: LATE }));
    const byPayment = committed(
      decide(authorizing, { type: 'PaymentAuthorized', paymentId: 'pay-1' }, { now: LATE }),
    );

    // Assert
    expect(byTimeout.next.version).toBe(authorizing.version + 1);
    expect(byPayment.next.version).toBe(authorizing.version + 1);
  });
});

describe('mayRequestPayment', () => {
  it('names every signal whose decision can ask for a payment, in every state and at any time', () => {
    // Arrange
    const signals: SagaSignal[] = [
      { type: 'StockReserved' },
      { type: 'StockUnavailable' },
      { type: 'PaymentAuthorized', paymentId: 'pay-2' },
      { type: 'PaymentDeclined', reason: 'CARD_DECLINED' },
      { type: 'StockReleased' },
      { type: 'PaymentRefunded' },
      { type: 'DeadlinePassed' },
      { type: 'CancelRequested' },
      { type: 'CompensationDue' },
    ];
    const orders = [reserving, authorizing, confirmed, cancelledCompensating, outOfStock];
    const askingForPayment: SagaSignal[] = [];

    // Act
    for (const order of orders) {
      for (const signal of signals) {
        for (const now of [NOW, LATE, new Date('2026-05-01T13:00:00.000Z')]) {
          const decision = decide(order, signal, { now });
          const commands = decision.kind === 'commit' || decision.kind === 'send' ? decision.commands : [];
          if (commands.includes('AuthorizePayment')) askingForPayment.push(signal);
        }
      }
    }

    // Assert
    expect(askingForPayment).not.toEqual([]);
    expect(askingForPayment.every(mayRequestPayment)).toBe(true);
    expect(signals.filter(mayRequestPayment).map((s) => s.type)).toEqual(['StockReserved']);
  });
});
