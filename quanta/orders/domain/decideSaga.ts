import type { CancellationReason } from '@quanta/contracts/orders';
import type { DeclineReason } from '@quanta/contracts/payments';
import type { Compensations, Order, SagaCommand } from './Order';

/** Something that moves an order's saga: a reply from catalog or payments, the customer, or the clock. */
export type SagaSignal =
  | { readonly type: 'StockReserved' }
  | { readonly type: 'StockUnavailable' }
  | { readonly type: 'PaymentAuthorized'; readonly paymentId: string }
  | { readonly type: 'PaymentDeclined'; readonly reason: DeclineReason }
  | { readonly type: 'StockReleased' }
  | { readonly type: 'PaymentRefunded' }
  /** The sweep found the order PENDING past its deadline. */
  | { readonly type: 'DeadlinePassed' }
  /** The owner asked to cancel. */
  | { readonly type: 'CancelRequested' }
  /** The sweep found compensations unacknowledged past their retry time. */
  | { readonly type: 'CompensationDue' };

/** Events the saga publishes through the outbox together with a transition. */
export type OrderEventType = 'OrderConfirmed' | 'OrderCancelled';

/**
 * What to do with a signal, decided by `decideSaga` from the order's current state.
 * - `commit`: write `next` (conditionally on the order's current version), with `event` in the outbox
 *   and the sealed card deleted when `deleteCard`, in one transaction; then send `commands`.
 * - `send`: no state change; send `commands` (a redelivery repairing a crash, or a late compensation).
 * - `ignore`: a duplicate or a stale signal; `why` says which, for the logs.
 * - `notPending`: the customer asked to cancel an order that is no longer PENDING.
 */
export type SagaDecision =
  | {
      readonly kind: 'commit';
      readonly next: Order;
      readonly event?: OrderEventType;
      readonly deleteCard: boolean;
      readonly commands: readonly SagaCommand[];
    }
  | { readonly kind: 'send'; readonly commands: readonly SagaCommand[]; readonly why: string }
  | { readonly kind: 'ignore'; readonly why: string }
  | { readonly kind: 'notPending' };

/** What {@link decideSaga} needs besides the order and the signal. */
export interface SagaContext {
  /** The clock. */
  readonly now: Date;
  /** Id of the message carrying the signal (reply message id, cancel request id, sweep attempt id). */
  readonly messageId: string;
  /** Delay before the sweep first re-sends an unacknowledged compensation; doubles per attempt. */
  readonly compensationRetrySeconds: number;
  /** Longest delay between two re-sends of a compensation. @default 3600 */
  readonly maxCompensationRetrySeconds?: number;
}

/**
 * The saga's state machine: from the order's current state and a signal, the one thing to do.
 * Pure (no I/O), so every transition, duplicate and race is decided here and unit-tested here; the
 * service only loads, commits conditionally and sends.
 *
 * Rules beyond the happy path:
 * - A redelivery of the message that made the order's last transition re-sends that transition's
 *   requests (the commit happened, the send may not have); any other duplicate is ignored.
 * - A late StockReserved on a cancelled order is compensated (ReleaseStock); a late
 *   PaymentAuthorized on a cancelled order is refunded (RefundPayment + ReleaseStock).
 * - A StockReserved after the deadline cancels (TIMEOUT) instead of asking for a payment that
 *   payments would refuse anyway.
 *
 * @example
 * ```ts
 * const decision = decideSaga(order, { type: 'StockReserved' }, { now, messageId, compensationRetrySeconds: 60 });
 * if (decision.kind === 'commit') {
 *   await orders.commit({ expectedVersion: order.version, next: decision.next, deleteCard: decision.deleteCard });
 * }
 * ```
 */
export function decideSaga(order: Order, signal: SagaSignal, context: SagaContext): SagaDecision {
  if (order.lastMessageId === context.messageId) {
    return order.lastCommands.length === 0
      ? { kind: 'ignore', why: 'redelivery of a message whose transition needs no request' }
      : {
          kind: 'send',
          commands: order.lastCommands,
          why: 'redelivery of the message that made the transition',
        };
  }
  const pending = order.status === 'PENDING';
  switch (signal.type) {
    case 'StockReserved':
      if (pending && order.step === 'RESERVING') {
        if (context.now.getTime() >= Date.parse(order.deadline)) {
          return cancel(order, 'TIMEOUT', { stock: 'PENDING', payment: 'NONE' }, context);
        }
        return advance(order, { step: 'AUTHORIZING' }, ['AuthorizePayment'], context);
      }
      if (order.status === 'CANCELLED') {
        return { kind: 'send', commands: ['ReleaseStock'], why: 'stock reserved for a cancelled order' };
      }
      return { kind: 'ignore', why: `duplicate StockReserved (order ${order.status}/${order.step})` };

    case 'StockUnavailable':
      if (pending && order.step === 'RESERVING') {
        return cancel(order, 'OUT_OF_STOCK', { stock: 'NONE', payment: 'NONE' }, context);
      }
      return { kind: 'ignore', why: `stale StockUnavailable (order ${order.status}/${order.step})` };

    case 'PaymentAuthorized':
      if (pending && order.step === 'AUTHORIZING') {
        // Confirmed even past the deadline: payments acted within it, the reply only arrived late.
        return {
          kind: 'commit',
          next: transitioned(order, context, {
            status: 'CONFIRMED',
            step: 'DONE',
            paymentId: signal.paymentId,
            lastCommands: [],
          }),
          event: 'OrderConfirmed',
          deleteCard: true,
          commands: [],
        };
      }
      if (order.status === 'CANCELLED') {
        return {
          kind: 'send',
          commands: ['RefundPayment', 'ReleaseStock'],
          why: 'payment authorized for a cancelled order',
        };
      }
      return { kind: 'ignore', why: `duplicate PaymentAuthorized (order ${order.status}/${order.step})` };

    case 'PaymentDeclined':
      if (pending && order.step === 'AUTHORIZING') {
        return cancel(
          order,
          CANCELLATION_BY_DECLINE[signal.reason],
          { stock: 'PENDING', payment: 'NONE' },
          context,
        );
      }
      return { kind: 'ignore', why: `stale PaymentDeclined (order ${order.status}/${order.step})` };

    case 'StockReleased':
      return acknowledge(order, 'stock', context);

    case 'PaymentRefunded':
      return acknowledge(order, 'payment', context);

    case 'DeadlinePassed':
      if (pending && context.now.getTime() >= Date.parse(order.deadline)) {
        // Both, whatever the step: catalog and payments tombstone an order they do not know, so a
        // request still in flight can never reserve or charge after this.
        return cancel(order, 'TIMEOUT', { stock: 'PENDING', payment: 'PENDING' }, context);
      }
      return { kind: 'ignore', why: `not pending past its deadline (order ${order.status})` };

    case 'CancelRequested':
      if (pending) {
        return cancel(order, 'CANCELLED_BY_CUSTOMER', { stock: 'PENDING', payment: 'PENDING' }, context);
      }
      return { kind: 'notPending' };

    case 'CompensationDue': {
      const due =
        order.step === 'COMPENSATING' &&
        order.nextCompensationAt !== undefined &&
        Date.parse(order.nextCompensationAt) <= context.now.getTime();
      if (!due) return { kind: 'ignore', why: 'no compensation due' };
      const attempts = order.compensationAttempts + 1;
      const commands = compensationCommands(order.compensations);
      return {
        kind: 'commit',
        next: transitioned(order, context, {
          compensationAttempts: attempts,
          nextCompensationAt: retryAt(context, attempts),
          lastCommands: commands,
        }),
        deleteCard: false,
        commands,
      };
    }
  }
}

/**
 * Whether deciding `signal` can call for AuthorizePayment: only a StockReserved can (the move to
 * AUTHORIZING, or the redelivery of the reply that made it), so the saga reads the sealed card with
 * the order for that signal alone.
 *
 * @example
 * ```ts
 * mayRequestPayment({ type: 'StockReserved' }); // true
 * mayRequestPayment({ type: 'PaymentAuthorized', paymentId: 'pay-1' }); // false
 * ```
 */
export function mayRequestPayment(signal: SagaSignal): boolean {
  return signal.type === 'StockReserved';
}

function advance(
  order: Order,
  changes: Partial<Order>,
  commands: readonly SagaCommand[],
  context: SagaContext,
): SagaDecision {
  return {
    kind: 'commit',
    next: transitioned(order, context, { ...changes, lastCommands: commands }),
    deleteCard: false,
    commands,
  };
}

function cancel(
  order: Order,
  reason: CancellationReason,
  compensations: Compensations,
  context: SagaContext,
): SagaDecision {
  const commands = compensationCommands(compensations);
  const compensating = commands.length > 0;
  return {
    kind: 'commit',
    next: transitioned(order, context, {
      status: 'CANCELLED',
      step: compensating ? 'COMPENSATING' : 'DONE',
      reason,
      compensations,
      compensationAttempts: 0,
      nextCompensationAt: compensating ? retryAt(context, 0) : undefined,
      lastCommands: commands,
    }),
    event: 'OrderCancelled',
    deleteCard: true,
    commands,
  };
}

function acknowledge(order: Order, which: keyof Compensations, context: SagaContext): SagaDecision {
  if (order.compensations[which] !== 'PENDING') {
    return { kind: 'ignore', why: `no ${which} compensation awaiting acknowledgement` };
  }
  const compensations = { ...order.compensations, [which]: 'DONE' } as Compensations;
  const done = compensationCommands(compensations).length === 0;
  return {
    kind: 'commit',
    next: transitioned(order, context, {
      compensations,
      ...(done ? { step: 'DONE', nextCompensationAt: undefined } : {}),
      lastCommands: [],
    }),
    deleteCard: false,
    commands: [],
  };
}

function compensationCommands(compensations: Compensations): SagaCommand[] {
  const commands: SagaCommand[] = [];
  if (compensations.stock === 'PENDING') commands.push('ReleaseStock');
  if (compensations.payment === 'PENDING') commands.push('RefundPayment');
  return commands;
}

function transitioned(order: Order, context: SagaContext, changes: Partial<Order>): Order {
  return {
    ...order,
    ...changes,
    updatedAt: context.now.toISOString(),
    lastMessageId: context.messageId,
    version: order.version + 1,
  };
}

function retryAt(context: SagaContext, attempts: number): string {
  const cap = context.maxCompensationRetrySeconds ?? 3600;
  const delay = Math.min(cap, context.compensationRetrySeconds * 2 ** attempts);
  return new Date(context.now.getTime() + delay * 1000).toISOString();
}

/** The reason an order is cancelled with when payments declines its payment. */
const CANCELLATION_BY_DECLINE: Readonly<Record<DeclineReason, CancellationReason>> = {
  CARD_DECLINED: 'PAYMENT_DECLINED',
  INVALID_CARD: 'PAYMENT_DECLINED',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  PROCESSING_ERROR: 'PAYMENT_FAILED',
  // Only after a RefundPayment reached payments first, i.e. the order is already cancelled.
  VOIDED: 'PAYMENT_FAILED',
};
