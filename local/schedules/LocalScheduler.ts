import { randomBytes } from 'node:crypto';
import { type ScheduleInvocation, scheduleInputOf } from '../../stacks/scheduleInputOf';
import type { FunctionError, FunctionInvoker } from '../lambda/FunctionInvoker';
import { ScheduleConfigurationError } from './errors';

/** One schedule as the local scheduler runs it (what a manifest's `ScheduleDefinition` becomes). */
export interface LocalSchedule {
  /** The quantum that declares it. */
  readonly quantum: string;
  /** Its id in the manifest. */
  readonly id: string;
  /** `<prefix>-<quantum>-<id>`, the stack's schedule name (the last part of its ARN). */
  readonly scheduleName: string;
  /** The function it invokes, `<quantum>.<fn>`. */
  readonly functionId: string;
  /** Its period in seconds, as declared. */
  readonly everySeconds: number;
}

/** A run that failed (the function errored or could not be invoked). */
export interface ScheduleFailure {
  readonly schedule: LocalSchedule;
  readonly payload: ScheduleInvocation;
  readonly error: FunctionError;
}

/** Counters of one schedule. */
export interface ScheduleStats {
  /** Runs started. */
  readonly runs: number;
  /** Runs that failed. */
  readonly failures: number;
  /** Due times skipped because the previous run was still going. */
  readonly skipped: number;
  /** True while a run is in flight. */
  readonly running: boolean;
}

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  readonly schedules: readonly LocalSchedule[];
  readonly invoker: FunctionInvoker;
  /** Region of the schedule ARNs. */
  readonly region: string;
  /** Account of the schedule ARNs. */
  readonly accountId: string;
  /**
   * Period of every schedule in seconds, replacing the declared ones (fractions allowed), so tests
   * need not wait a minute. @default each schedule's `everySeconds`
   */
  readonly everySeconds?: number;
  /** Told about each failed run (the local cloud parks it on the schedule's DLQ, as the stack does). */
  readonly onFailure?: (failure: ScheduleFailure) => Promise<void> | void;
  /** Where the scheduler reports skipped runs and failed deliveries. @default ignore */
  readonly log?: (message: string) => void;
  /** Clock in epoch milliseconds (scheduled times). @default Date.now */
  readonly now?: () => number;
}

interface Slot {
  readonly schedule: LocalSchedule;
  readonly periodMs: number;
  timer: NodeJS.Timeout | undefined;
  due: number;
  running: Promise<void> | undefined;
  runs: number;
  failures: number;
  skipped: number;
}

/**
 * The local stand-in for EventBridge Scheduler: a fixed-rate timer per schedule that invokes the
 * function with exactly the input the stack's schedule target sends (`scheduleInputOf`). The first
 * run is one period after `start()` (a rate schedule's first run is due one period after it is
 * created); a due time that finds the previous run still going is skipped, so runs of one schedule
 * never overlap.
 *
 * @example
 * ```ts
 * const scheduler = new LocalScheduler({ schedules: schedulesOf(plan), invoker, region, accountId, everySeconds: 1 });
 * scheduler.start();
 * scheduler.stats('orders.deadline-sweep').runs;
 * await scheduler.stop();
 * ```
 */
export class LocalScheduler {
  readonly #slots = new Map<string, Slot>();
  readonly #invoker: FunctionInvoker;
  readonly #region: string;
  readonly #accountId: string;
  readonly #onFailure: LocalSchedulerOptions['onFailure'];
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  #state: 'new' | 'running' | 'stopped' = 'new';

  constructor(options: LocalSchedulerOptions) {
    if (options.everySeconds !== undefined && !(options.everySeconds > 0)) {
      throw new ScheduleConfigurationError(
        `Local scheduler option 'everySeconds' must be a positive number of seconds, got ${options.everySeconds}`,
      );
    }
    for (const schedule of options.schedules) {
      const key = keyOf(schedule);
      if (this.#slots.has(key)) throw new ScheduleConfigurationError(`Schedule '${key}' is declared twice`);
      const seconds = options.everySeconds ?? schedule.everySeconds;
      if (!(seconds > 0)) {
        throw new ScheduleConfigurationError(`Schedule '${key}' must run every > 0 s, got ${seconds}`);
      }
      this.#slots.set(key, {
        schedule,
        periodMs: seconds * 1000,
        timer: undefined,
        due: 0,
        running: undefined,
        runs: 0,
        failures: 0,
        skipped: 0,
      });
    }
    this.#invoker = options.invoker;
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#onFailure = options.onFailure;
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  /** Arms every schedule; the first run of each is one period from now. */
  start(): void {
    if (this.#state !== 'new')
      throw new ScheduleConfigurationError(`Local scheduler cannot start: it is ${this.#state}`);
    this.#state = 'running';
    const now = this.#now();
    for (const slot of this.#slots.values()) {
      slot.due = now + slot.periodMs;
      this.#arm(slot);
    }
  }

  /**
   * Disarms every schedule. Runs in flight are not awaited (one may hang until its function's
   * timeout); they end when the runtime stops, and a run that ends after `stop()` is not reported.
   */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    for (const slot of this.#slots.values()) clearTimeout(slot.timer);
  }

  /** Counters of the schedule `<quantum>.<id>`. */
  stats(key: string): ScheduleStats {
    const slot = this.#slots.get(key);
    if (slot === undefined) {
      throw new ScheduleConfigurationError(
        `Unknown schedule '${key}'; known: ${[...this.#slots.keys()].join(', ') || '(none)'}`,
      );
    }
    return {
      runs: slot.runs,
      failures: slot.failures,
      skipped: slot.skipped,
      running: slot.running !== undefined,
    };
  }

  /** Keys (`<quantum>.<id>`) of the schedules. */
  keys(): string[] {
    return [...this.#slots.keys()];
  }

  #arm(slot: Slot): void {
    if (this.#state !== 'running') return;
    slot.timer = setTimeout(() => this.#tick(slot), Math.max(0, slot.due - this.#now()));
    // A pending schedule must not keep a stopping process alive.
    slot.timer.unref();
  }

  #tick(slot: Slot): void {
    const due = slot.due;
    // Fixed rate: the next due time does not drift with how long this one took.
    slot.due += slot.periodMs;
    while (slot.due <= this.#now()) {
      slot.due += slot.periodMs;
      slot.skipped++;
    }
    if (slot.running !== undefined) {
      slot.skipped++;
      this.#log(
        `schedule ${keyOf(slot.schedule)}: run due ${iso(due)} skipped, the previous run is still going`,
      );
    } else {
      slot.running = this.#run(slot, due).finally(() => {
        slot.running = undefined;
      });
    }
    this.#arm(slot);
  }

  async #run(slot: Slot, due: number): Promise<void> {
    const { schedule } = slot;
    slot.runs++;
    const payload = scheduleInputOf(schedule.quantum, schedule.id, {
      scheduleArn: `arn:aws:scheduler:${this.#region}:${this.#accountId}:schedule/default/${schedule.scheduleName}`,
      scheduledTime: iso(due),
      executionId: randomBytes(8).toString('hex'),
      attemptNumber: '1',
    });
    let error: FunctionError | undefined;
    try {
      const result = await this.#invoker.invoke(schedule.functionId, payload);
      if (!result.ok) error = result.error;
    } catch (cause) {
      error = {
        errorType: 'InvokeError',
        errorMessage: cause instanceof Error ? cause.message : String(cause),
      };
    }
    // A run cut short by the local cloud stopping is not a failure of the schedule.
    if (error === undefined || this.#state === 'stopped') return;
    slot.failures++;
    this.#log(
      `schedule ${keyOf(schedule)}: run due ${payload.scheduledTime} failed: ${error.errorType}: ${error.errorMessage}`,
    );
    try {
      await this.#onFailure?.({ schedule, payload, error });
    } catch (cause) {
      this.#log(`schedule ${keyOf(schedule)}: could not park the failed run: ${(cause as Error).message}`);
    }
  }
}

function keyOf(schedule: LocalSchedule): string {
  return `${schedule.quantum}.${schedule.id}`;
}

/** ISO 8601 to the second, as Scheduler's `<aws.scheduler.scheduled-time>`. */
function iso(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
