import { randomUUID } from 'node:crypto';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { PaymentAuthorized, PaymentDeclined } from '@quanta/contracts/payments';
import { createEnvelope } from '@quanta/runtime/events';
import { type AuthorizationOutcome, authorizationOutcomeOf } from '../domain/AuthorizationOutcome';
import type { CardProcessor, ProcessorResult } from '../domain/CardProcessor';
import type { PaymentCard } from '../domain/PaymentCard';
import type { PaymentIntent, PaymentLease } from '../domain/PaymentIntent';
import type { PaymentRepository } from '../domain/PaymentRepository';
import { PaymentInProgressError, PaymentProcessingError } from '../errors';

/** Dependencies and settings of {@link PaymentService}. */
export interface PaymentServiceOptions {
  readonly payments: PaymentRepository;
  readonly processor: CardProcessor;
  /**
   * How long a claim on a PENDING intent lasts before another delivery may take it over. Longer
   * than the function's timeout (so a live holder is never overtaken), shorter than the request
   * queue's visibility timeout (so the redelivery after a crash can take over). @default 30
   */
  readonly leaseSeconds?: number;
  /** Processing attempts (and deliveries) after which a processing error becomes a decline. @default 3 */
  readonly maxProcessingAttempts?: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Id generator (payment ids, lease owners). @default crypto.randomUUID */
  readonly newId?: () => string;
}

/** `AuthorizePayment` as the service needs it; the card is wrapped so it cannot leak. */
export interface AuthorizePaymentCommand {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly card: PaymentCard;
}

/** The delivery of a request: who asked, until when, and how many times SQS has delivered it. */
export interface RequestDelivery {
  readonly messageId: string;
  readonly correlationId: string;
  /** After it the request must not be acted on. */
  readonly deadline: Date;
  /** 1 on the first delivery. */
  readonly receiveCount: number;
}

/** What {@link PaymentService.authorize} decided; `replayed` when it is a recorded outcome answered again. */
export interface AuthorizationResult {
  readonly outcome: AuthorizationOutcome;
  readonly replayed: boolean;
}

/** What {@link PaymentService.refund} did. `refunded`: money that was authorized has been given back. */
export interface RefundResult {
  readonly orderId: string;
  readonly refunded: boolean;
}

/** Rounds of read-decide-write before a contended intent is left to a redelivery. */
const MAX_ROUNDS = 3;

/**
 * payments' request use cases, idempotent per order: exactly one payment intent per order (a
 * conditional create), exactly one invocation at a time asks the processor for it (a lease), and
 * the processor is asked with the intent's `paymentId` as idempotency key, so redeliveries,
 * concurrent duplicates and crash recoveries never charge twice. State and its event are committed
 * together (outbox) before the caller replies; a redelivery answers the recorded outcome again.
 *
 * Decisions:
 * - A processing error throws {@link PaymentProcessingError} (the message is retried) until the
 *   `maxProcessingAttempts`-th delivery or attempt, which settles `DECLINED`/`PROCESSING_ERROR`.
 * - A request past its deadline with no intent recorded is not acted on (`EXPIRED`: no charge, no
 *   state, no reply): the requester has given up and cancels (and refunds) on its own. With an intent
 *   already recorded, the recorded outcome is answered; a PENDING intent past the deadline is
 *   settled `DECLINED`/`PROCESSING_ERROR` without asking the processor again.
 * - A refund that finds no intent leaves a `VOIDED` tombstone, so a late authorization declines.
 *
 * @example
 * ```ts
 * const service = new PaymentService({ payments, processor: new SimulatedCardProcessor() });
 * const { outcome } = await service.authorize(
 *   { orderId, amountCents: 1999, currency: 'EUR', card: PaymentCard.of(payload.card) },
 *   { messageId, correlationId, deadline: new Date(envelope.deadline), receiveCount: 1 },
 * );
 * ```
 */
export class PaymentService {
  readonly #o: Required<PaymentServiceOptions>;

  constructor(options: PaymentServiceOptions) {
    this.#o = {
      leaseSeconds: 30,
      maxProcessingAttempts: 3,
      now: () => new Date(),
      newId: randomUUID,
      ...options,
    };
  }

  /**
   * Authorizes the order's payment once, or answers its recorded outcome. Throws
   * {@link PaymentInProgressError} while another invocation holds the intent and
   * {@link PaymentProcessingError} on a retryable processor failure: both mean "deliver it again".
   */
  async authorize(command: AuthorizePaymentCommand, delivery: RequestDelivery): Promise<AuthorizationResult> {
    const { payments } = this.#o;
    const { orderId } = command;
    const first = this.#o.now();
    if (first.getTime() < delivery.deadline.getTime()) {
      // Only a duplicate (or a refund that came first) finds an intent: try the conditional create
      // before any read, and read only when it fails.
      const created = await this.#createAndProcess(command, delivery, first);
      if (created !== undefined) return created;
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.#o.now();
      const intent = await payments.find(orderId);
      if (intent === undefined) {
        if (now.getTime() >= delivery.deadline.getTime()) {
          return { outcome: { status: 'EXPIRED', orderId }, replayed: false };
        }
        const created = await this.#createAndProcess(command, delivery, now);
        if (created !== undefined) return created;
        continue; // a concurrent duplicate (or a refund) created it first: decide again on its state
      }
      const recorded = authorizationOutcomeOf(intent);
      if (recorded !== undefined) return { outcome: recorded, replayed: true };
      if (intent.lease !== undefined && intent.lease.until > now.getTime()) {
        throw new PaymentInProgressError(orderId);
      }
      const lease = this.#newLease(now);
      const taken = await payments.takeOver(orderId, lease, now);
      if (taken !== undefined) return this.#process(taken, lease.owner, command, delivery);
    }
    throw new PaymentInProgressError(orderId);
  }

  /**
   * Refunds what was authorized for the order, if anything; idempotent. With no intent it leaves a
   * `VOIDED` tombstone. Refunds are compensations, so they are carried out whatever their deadline.
   */
  async refund(orderId: string, delivery: Pick<RequestDelivery, 'correlationId'>): Promise<RefundResult> {
    const { payments, processor } = this.#o;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.#o.now();
      const intent = await payments.find(orderId);
      if (intent === undefined) {
        const tombstone: PaymentIntent = {
          orderId,
          paymentId: this.#o.newId(),
          status: 'VOIDED',
          declineReason: 'VOIDED',
          attempts: 0,
          correlationId: delivery.correlationId,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        };
        if (await payments.create(tombstone)) return { orderId, refunded: false };
        continue;
      }
      switch (intent.status) {
        case 'REFUNDED':
          return { orderId, refunded: true };
        case 'DECLINED':
        case 'VOIDED':
          return { orderId, refunded: false };
        case 'AUTHORIZED':
          // Processor first: if the state write is lost, the retry refunds again under the same id (idempotent).
          await processor.refund(refundRequestOf(intent));
          if (await payments.markRefunded(orderId, now)) return { orderId, refunded: true };
          continue;
        case 'PENDING':
          if (intent.lease !== undefined && intent.lease.until > now.getTime()) {
            throw new PaymentInProgressError(orderId);
          }
          // Abandoned (holder crashed, or waiting for a retry): release anything it may have held, then void.
          await processor.refund(refundRequestOf(intent));
          if (await payments.voidAbandoned(orderId, now)) return { orderId, refunded: false };
          continue;
      }
    }
    throw new PaymentInProgressError(orderId);
  }

  async #process(
    intent: PaymentIntent,
    leaseOwner: string,
    command: AuthorizePaymentCommand,
    delivery: RequestDelivery,
  ): Promise<AuthorizationResult> {
    const { payments, processor, maxProcessingAttempts } = this.#o;
    const now = this.#o.now();
    // The intent's amount is the truth: a duplicate request cannot change what is charged.
    const amountCents = intent.amountCents ?? command.amountCents;
    const currency = intent.currency ?? command.currency;
    const pastDeadline = now.getTime() >= delivery.deadline.getTime();
    let result: ProcessorResult;
    if (pastDeadline) {
      // Only reachable on a retry or takeover: the requester has given up, so charge nothing now and
      // release whatever a crashed attempt may have held.
      await processor.refund({ paymentId: intent.paymentId, amountCents, currency });
      result = { outcome: 'PROCESSING_ERROR', detail: 'request deadline passed while retrying' };
    } else {
      result = await this.#ask({ paymentId: intent.paymentId, amountCents, currency, card: command.card });
    }
    let settled: PaymentIntent;
    const base = {
      ...intent,
      amountCents,
      currency,
      last4: command.card.last4,
      updatedAt: now.toISOString(),
    };
    if (result.outcome === 'PROCESSING_ERROR') {
      const attempts = intent.attempts + 1;
      const giveUp =
        pastDeadline || attempts >= maxProcessingAttempts || delivery.receiveCount >= maxProcessingAttempts;
      if (!giveUp) {
        await payments.release(intent.orderId, leaseOwner, attempts, now);
        throw new PaymentProcessingError(intent.orderId, intent.paymentId, attempts, {
          cause: new Error(result.detail),
        });
      }
      settled = {
        ...base,
        status: 'DECLINED',
        declineReason: 'PROCESSING_ERROR',
        attempts,
        lease: undefined,
      };
    } else if (result.outcome === 'DECLINED') {
      settled = { ...base, status: 'DECLINED', declineReason: result.reason, lease: undefined };
    } else {
      settled = {
        ...base,
        status: 'AUTHORIZED',
        authorizationCode: result.authorizationCode,
        lease: undefined,
      };
    }
    if (await payments.settle(settled, leaseOwner, this.#eventOf(settled, delivery, now))) {
      const outcome = authorizationOutcomeOf(settled);
      if (outcome !== undefined) return { outcome, replayed: false };
    }
    // The lease ran out and another delivery took over: its decision is the one recorded.
    const current = await payments.find(intent.orderId);
    const recorded = current === undefined ? undefined : authorizationOutcomeOf(current);
    if (recorded !== undefined) return { outcome: recorded, replayed: true };
    throw new PaymentInProgressError(intent.orderId);
  }

  /** Asks the processor; a throw (timeout, network) is a processing error like any other. */
  async #ask(request: Parameters<CardProcessor['authorize']>[0]): Promise<ProcessorResult> {
    try {
      return await this.#o.processor.authorize(request);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { outcome: 'PROCESSING_ERROR', detail: `processor call failed (${name})` };
    }
  }

  #eventOf(intent: PaymentIntent, delivery: RequestDelivery, now: Date): AnyEventEnvelope {
    const origin = {
      correlationId: delivery.correlationId,
      causationId: delivery.messageId,
      occurredAt: now,
    };
    const { orderId, paymentId } = intent;
    const amountCents = intent.amountCents ?? 0;
    const currency = intent.currency ?? '';
    if (intent.status === 'AUTHORIZED') {
      return createEnvelope(
        PaymentAuthorized,
        { orderId, paymentId, amountCents, currency, last4: intent.last4 ?? '' },
        origin,
      );
    }
    return createEnvelope(
      PaymentDeclined,
      { orderId, reason: intent.declineReason ?? 'PROCESSING_ERROR', amountCents, currency },
      origin,
    );
  }

  /**
   * Creates the PENDING intent leased to this invocation (only if none exists) and processes it;
   * undefined when an intent already exists.
   */
  async #createAndProcess(
    command: AuthorizePaymentCommand,
    delivery: RequestDelivery,
    now: Date,
  ): Promise<AuthorizationResult | undefined> {
    const lease = this.#newLease(now);
    const pending = this.#pendingIntent(command, delivery, lease, now);
    return (await this.#o.payments.create(pending))
      ? this.#process(pending, lease.owner, command, delivery)
      : undefined;
  }

  /** A new PENDING intent for `command`, leased to this invocation. */
  #pendingIntent(
    command: AuthorizePaymentCommand,
    delivery: RequestDelivery,
    lease: PaymentLease,
    now: Date,
  ): PaymentIntent {
    return {
      orderId: command.orderId,
      paymentId: this.#o.newId(),
      status: 'PENDING',
      amountCents: command.amountCents,
      currency: command.currency,
      last4: command.card.last4,
      attempts: 0,
      lease,
      correlationId: delivery.correlationId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
  }

  #newLease(now: Date): PaymentLease {
    return { owner: this.#o.newId(), until: now.getTime() + this.#o.leaseSeconds * 1000 };
  }
}

function refundRequestOf(intent: PaymentIntent) {
  return {
    paymentId: intent.paymentId,
    amountCents: intent.amountCents ?? 0,
    currency: intent.currency ?? '',
  };
}
