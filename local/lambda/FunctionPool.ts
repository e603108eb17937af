import { LambdaRuntimeStoppedError } from './errors';
import type { FunctionWorker, WorkerOutcome } from './FunctionWorker';

/** A snapshot of one function's pool. */
export interface PoolStats {
  /** Live workers (execution environments). */
  readonly workers: number;
  /** Workers running an invocation now. */
  readonly busy: number;
  /** Invocations waiting for a free worker. */
  readonly queued: number;
  /** Workers ever started (cold starts, including replacements). */
  readonly started: number;
  /** Workers terminated after staying idle for the idle timeout. */
  readonly retired: number;
}

/** Options of {@link FunctionPool}. */
export interface FunctionPoolOptions {
  /** The function's id, for errors. */
  readonly functionId: string;
  /** The most workers alive at once; further invocations queue. */
  readonly maxSize: number;
  /** Creates one worker (it starts initialising at once). */
  readonly createWorker: () => FunctionWorker;
  /** Shared by every pool: how many workers may initialise at once. @default no limit */
  readonly gate?: ColdStartGate;
  /** Shared by every pool: how many workers may stay alive at once, machine-wide. @default no budget */
  readonly budget?: WorkerBudget;
  /**
   * How long a worker may stay idle before it is terminated, as Lambda reclaims idle execution
   * environments; the next invocation after that is a cold start. @default Infinity (never)
   */
  readonly idleTimeoutMs?: number;
}

interface Waiter {
  resolve(worker: FunctionWorker): void;
  reject(error: Error): void;
}

interface IdleWorker {
  readonly worker: FunctionWorker;
  /** `performance.now()` when it was parked. */
  readonly since: number;
}

/**
 * The execution environments of one function. Like Lambda instances, each worker runs one
 * invocation at a time; the pool grows lazily up to `maxSize` and queues the excess instead of
 * throttling, because a local caller would rather wait than retry. New workers initialise through a
 * {@link ColdStartGate} shared by every pool, and join the queue's service when ready: a queued
 * invocation takes whichever comes first, a released warm worker or a newly initialised one.
 * Workers idle for `idleTimeoutMs` are terminated, the least recently used first, so a burst's
 * workers do not hold memory for the rest of the session.
 *
 * @example
 * ```ts
 * const pool = new FunctionPool({
 *   functionId: 'identity.api',
 *   maxSize: 2,
 *   createWorker: () => new FunctionWorker({ ... }),
 *   idleTimeoutMs: 60_000,
 * });
 * const outcome = await pool.run((worker) => worker.invoke(requestId, eventJson));
 * ```
 */
export class FunctionPool {
  /** Least recently used first: workers are taken from the end and retired from the start. */
  private readonly idle: IdleWorker[] = [];
  private readonly busy = new Set<FunctionWorker>();
  private readonly waiters: Waiter[] = [];
  private readonly functionId: string;
  private readonly maxSize: number;
  private readonly createWorker: () => FunctionWorker;
  private readonly gate: ColdStartGate;
  private readonly budget: WorkerBudget | undefined;
  private readonly idleTimeoutMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private started = 0;
  private retired = 0;
  /** Workers being initialised (counted against `maxSize`). */
  private spawning = 0;
  private stopped = false;

  constructor(options: FunctionPoolOptions) {
    if (!Number.isInteger(options.maxSize) || options.maxSize < 1) {
      throw new RangeError(
        `Pool of '${options.functionId}' needs a positive integer size, got ${options.maxSize}`,
      );
    }
    const idleTimeoutMs = options.idleTimeoutMs ?? Number.POSITIVE_INFINITY;
    if (!(idleTimeoutMs > 0)) {
      throw new RangeError(
        `Pool of '${options.functionId}' needs a positive idle timeout, got ${options.idleTimeoutMs}`,
      );
    }
    this.functionId = options.functionId;
    this.maxSize = options.maxSize;
    this.createWorker = options.createWorker;
    this.gate = options.gate ?? new ColdStartGate(Number.MAX_SAFE_INTEGER);
    this.budget = options.budget;
    this.idleTimeoutMs = idleTimeoutMs;
    this.budget?.join(this);
  }

  /** Runs `task` on a free worker, waiting for one if all `maxSize` are busy. */
  async run(task: (worker: FunctionWorker) => Promise<WorkerOutcome>): Promise<WorkerOutcome> {
    const worker = await this.acquire();
    let outcome: WorkerOutcome | undefined;
    try {
      outcome = await task(worker);
      return outcome;
    } finally {
      this.release(worker, outcome !== undefined && !(!outcome.ok && outcome.fatal) && worker.usable);
    }
  }

  stats(): PoolStats {
    return {
      workers: this.idle.length + this.busy.size,
      busy: this.busy.size,
      queued: this.waiters.length,
      started: this.started,
      retired: this.retired,
    };
  }

  /** Live workers, initialising ones included (what a {@link WorkerBudget} counts). */
  liveWorkers(): number {
    return this.idle.length + this.busy.size + this.spawning;
  }

  /** When the least recently used idle worker was parked (`performance.now()`), if one is idle. */
  oldestIdleSince(): number | undefined {
    return this.idle[0]?.since;
  }

  /** Terminates the least recently used idle worker (for a {@link WorkerBudget}). */
  retireOldestIdle(): void {
    const oldest = this.idle.shift();
    if (oldest === undefined) return;
    this.retired++;
    void oldest.worker.terminate();
  }

  /** Terminates every worker and rejects queued invocations. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.budget?.leave(this);
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const waiter of this.waiters.splice(0))
      waiter.reject(new LambdaRuntimeStoppedError(this.functionId, 'stopped'));
    const all = [...this.idle.splice(0).map(({ worker }) => worker), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private acquire(): Promise<FunctionWorker> {
    if (this.stopped) return Promise.reject(new LambdaRuntimeStoppedError(this.functionId, 'stopped'));
    const worker = this.takeIdle();
    if (worker !== undefined) {
      this.busy.add(worker);
      return Promise.resolve(worker);
    }
    const waiting = new Promise<FunctionWorker>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.growIfNeeded();
    return waiting;
  }

  private release(worker: FunctionWorker, healthy: boolean): void {
    this.busy.delete(worker);
    if (this.stopped) {
      void worker.terminate();
      return;
    }
    if (!healthy) {
      void worker.terminate();
      this.growIfNeeded();
      return;
    }
    this.serve(worker);
  }

  /** Gives a ready worker to the first waiter, or parks it idle. */
  private serve(worker: FunctionWorker): void {
    const next = this.waiters.shift();
    if (next === undefined) {
      this.idle.push({ worker, since: performance.now() });
      this.scheduleRetirement();
      this.budget?.check();
      return;
    }
    this.busy.add(worker);
    next.resolve(worker);
  }

  /** Starts initialising one more worker when invocations wait that no worker in progress will take. */
  private growIfNeeded(): void {
    if (this.stopped) return;
    const capacity = this.maxSize - this.busy.size - this.spawning;
    if (capacity <= 0 || this.spawning >= this.waiters.length) return;
    this.spawning++;
    this.started++;
    this.budget?.check();
    void this.gate
      .run(async () => {
        const worker = this.createWorker();
        await worker.initialized();
        return worker;
      })
      .then((worker) => {
        this.spawning--;
        if (this.stopped) {
          void worker.terminate();
          return;
        }
        // A worker whose init failed still serves one waiter: its invocation reports the init error,
        // as Lambda does, and the pool replaces it.
        this.serve(worker);
      });
  }

  /** The most recently used idle worker still alive (one may have died while idle, e.g. `process.exit` in a timer). */
  private takeIdle(): FunctionWorker | undefined {
    for (let parked = this.idle.pop(); parked !== undefined; parked = this.idle.pop()) {
      if (parked.worker.usable) return parked.worker;
      void parked.worker.terminate();
    }
    return undefined;
  }

  /** Arms one timer, for when the least recently used idle worker reaches the idle timeout. */
  private scheduleRetirement(): void {
    const oldest = this.idle[0];
    if (this.idleTimer !== undefined || oldest === undefined || this.stopped) return;
    if (this.idleTimeoutMs === Number.POSITIVE_INFINITY) return;
    // Clamped to what setTimeout accepts; an early wake-up retires nothing and re-arms.
    const delay = Math.min(Math.max(0, oldest.since + this.idleTimeoutMs - performance.now()), 2 ** 31 - 1);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      this.retireIdle();
    }, delay);
    // An idle pool must not keep a stopping process alive.
    this.idleTimer.unref();
  }

  private retireIdle(): void {
    const now = performance.now();
    for (let oldest = this.idle[0]; oldest !== undefined; oldest = this.idle[0]) {
      if (oldest.since + this.idleTimeoutMs > now) break;
      this.idle.shift();
      this.retired++;
      void oldest.worker.terminate();
    }
    this.scheduleRetirement();
  }
}

/**
 * Limits how many execution environments initialise at once, machine-wide. Lambda initialises
 * instances on separate hosts; a laptop initialises worker threads on the same few cores, and a burst
 * that cold-starts forty of them at once starves every one past Lambda's 10 s INIT limit. With the
 * gate, inits run about one per core while queued invocations wait for the next ready worker.
 *
 * @example
 * ```ts
 * const gate = new ColdStartGate(2);
 * const worker = await gate.run(async () => { const w = create(); await w.initialized(); return w; });
 * ```
 */
export class ColdStartGate {
  readonly #capacity: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ColdStartGate capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  /** Runs `init` once a slot is free; the slot is held until it settles. */
  async run<T>(init: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#capacity) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await init();
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter (running count unchanged), or free it.
      if (next === undefined) this.#running--;
      else next();
    }
  }
}

/**
 * How many workers may stay alive at once across all pools, as a host has so much memory. Over it,
 * idle workers are retired sooner: any worker idle for `pressureIdleMs` (rather than the pools' idle
 * timeout), least recently used first, until the count is back within the budget, as Lambda reclaims
 * idle environments. It never retires a busy worker nor stops a pool from starting one: it bounds what
 * idle workers hold, not concurrency. A flash sale's burst of orders otherwise kept alive, for the
 * idle timeout, the workers of the sign-ups and WebSocket connections that came before it.
 *
 * @example
 * ```ts
 * const budget = new WorkerBudget({ capacity: 16 });
 * const pool = new FunctionPool({ functionId: 'identity.api', maxSize: 2, createWorker, budget });
 * ```
 */
export class WorkerBudget {
  readonly #capacity: number;
  readonly #pressureIdleMs: number;
  readonly #pools = new Set<FunctionPool>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(options: { readonly capacity: number; readonly pressureIdleMs?: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`WorkerBudget capacity must be a positive integer, got ${options.capacity}`);
    }
    const pressureIdleMs = options.pressureIdleMs ?? 5_000;
    if (!(pressureIdleMs >= 0)) {
      throw new RangeError(`WorkerBudget pressureIdleMs must be >= 0, got ${options.pressureIdleMs}`);
    }
    this.#capacity = options.capacity;
    this.#pressureIdleMs = pressureIdleMs;
  }

  join(pool: FunctionPool): void {
    this.#pools.add(pool);
  }

  leave(pool: FunctionPool): void {
    this.#pools.delete(pool);
    if (this.#pools.size === 0) this.#disarm();
  }

  /** Live workers across the pools. */
  liveWorkers(): number {
    let live = 0;
    for (const pool of this.#pools) live += pool.liveWorkers();
    return live;
  }

  /**
   * Pools call it when a worker starts or is parked idle: over the budget, retires the workers idle
   * for `pressureIdleMs`, least recently used first, and arms a timer for the next one to become so.
   */
  check(): void {
    let live = this.liveWorkers();
    const now = performance.now();
    while (live > this.#capacity) {
      const oldest = this.#leastRecentlyUsed();
      if (oldest === undefined || oldest.since + this.#pressureIdleMs > now) break;
      oldest.pool.retireOldestIdle();
      live--;
    }
    if (live <= this.#capacity) {
      this.#disarm();
      return;
    }
    const next = this.#leastRecentlyUsed();
    if (next === undefined) return;
    const at = next.since + this.#pressureIdleMs;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    this.#disarm();
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.check();
      },
      Math.max(0, at - now),
    );
    // A budget must not keep a stopping process alive.
    this.#timer.unref();
  }

  #leastRecentlyUsed(): { pool: FunctionPool; since: number } | undefined {
    let found: { pool: FunctionPool; since: number } | undefined;
    for (const pool of this.#pools) {
      const since = pool.oldestIdleSince();
      if (since !== undefined && (found === undefined || since < found.since)) found = { pool, since };
    }
    return found;
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }
}
