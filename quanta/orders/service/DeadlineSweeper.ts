import { randomUUID } from 'node:crypto';
import type { SagaSignal } from '../domain/decideSaga';
import type { OrderRepository } from '../domain/OrderRepository';
import { type SagaCoordinator, type SagaLog, silentSagaLog } from './SagaCoordinator';

/** Dependencies and settings of {@link DeadlineSweeper}. */
export interface DeadlineSweeperOptions {
  readonly orders: OrderRepository;
  readonly saga: SagaCoordinator;
  /** Most orders one run handles (expired ones first, then due compensations). */
  readonly batchLimit: number;
  /** Orders handled at once. @default 8 */
  readonly concurrency?: number;
  readonly log?: SagaLog;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Id generator (one message id per sweep attempt). @default crypto.randomUUID */
  readonly newId?: () => string;
}

/** What one sweep did. */
export interface SweepSummary {
  /** Orders cancelled with TIMEOUT. */
  readonly timedOut: number;
  /** Orders whose unacknowledged compensations were re-sent. */
  readonly compensationsResent: number;
  /** Orders that had moved on meanwhile (nothing to do). */
  readonly skipped: number;
  /** Orders that failed (left for the next run). */
  readonly failed: number;
}

/**
 * The saga's clock, run on a schedule: cancels every PENDING order past its deadline (`TIMEOUT`,
 * then ReleaseStock + RefundPayment), and re-sends the compensations of cancelled orders that no
 * reply has acknowledged in time. Bounded per run; what it leaves, the next run takes.
 *
 * @example
 * ```ts
 * const summary = await new DeadlineSweeper({ orders, saga, batchLimit: 500 }).sweep();
 * ```
 */
export class DeadlineSweeper {
  readonly #o: Required<Omit<DeadlineSweeperOptions, 'log'>> & { readonly log: SagaLog };

  constructor(options: DeadlineSweeperOptions) {
    this.#o = { concurrency: 8, now: () => new Date(), newId: randomUUID, log: silentSagaLog, ...options };
  }

  /** One run; `shouldStop` is polled between orders (e.g. when the function is about to time out). */
  async sweep(options: { readonly shouldStop?: () => boolean } = {}): Promise<SweepSummary> {
    const { orders, batchLimit } = this.#o;
    const now = this.#o.now();
    const counts = { timedOut: 0, compensationsResent: 0, skipped: 0, failed: 0 };
    const expired = await orders.findExpiredPending(now, batchLimit);
    await this.#each(expired, { type: 'DeadlinePassed' }, counts, 'timedOut', options.shouldStop);
    const room = batchLimit - expired.length;
    if (room > 0 && !(options.shouldStop?.() ?? false)) {
      const due = await orders.findDueCompensations(now, room);
      await this.#each(due, { type: 'CompensationDue' }, counts, 'compensationsResent', options.shouldStop);
    }
    return counts;
  }

  async #each(
    orderIds: readonly string[],
    signal: SagaSignal,
    counts: { timedOut: number; compensationsResent: number; skipped: number; failed: number },
    counter: 'timedOut' | 'compensationsResent',
    shouldStop: (() => boolean) | undefined,
  ): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < orderIds.length && !(shouldStop?.() ?? false)) {
        const orderId = orderIds[next++] as string;
        try {
          const outcome = await this.#o.saga.apply(
            orderId,
            signal,
            { messageId: `sweep-${this.#o.newId()}` },
            { onSendFailure: 'defer' },
          );
          if (outcome.kind === 'COMMITTED') counts[counter]++;
          else counts.skipped++;
        } catch (error) {
          counts.failed++;
          this.#o.log.warn('Sweep failed for an order; the next run retries', {
            orderId,
            signal: signal.type,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.#o.concurrency) }, worker));
  }
}
