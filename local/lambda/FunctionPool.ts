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
}

interface Waiter {
  resolve(worker: FunctionWorker): void;
  reject(error: Error): void;
}

/**
 * The execution environments of one function. Like Lambda instances, each worker runs one
 * invocation at a time; the pool grows lazily up to `maxSize` (reserved concurrency) and queues
 * the excess instead of throttling, because a local caller would rather wait than retry.
 *
 * @example
 * ```ts
 * const pool = new FunctionPool('identity.api', 8, () => new FunctionWorker({ ... }));
 * const outcome = await pool.run((worker) => worker.invoke(requestId, eventJson));
 * ```
 */
export class FunctionPool {
  private readonly idle: FunctionWorker[] = [];
  private readonly busy = new Set<FunctionWorker>();
  private readonly waiters: Waiter[] = [];
  private started = 0;
  private stopped = false;

  constructor(
    private readonly functionId: string,
    private readonly maxSize: number,
    private readonly createWorker: () => FunctionWorker,
  ) {}

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
    };
  }

  /** Terminates every worker and rejects queued invocations. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0))
      waiter.reject(new LambdaRuntimeStoppedError(this.functionId, 'stopped'));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private acquire(): Promise<FunctionWorker> {
    if (this.stopped) return Promise.reject(new LambdaRuntimeStoppedError(this.functionId, 'stopped'));
    const worker = this.takeIdle() ?? (this.busy.size < this.maxSize ? this.spawn() : undefined);
    if (worker !== undefined) {
      this.busy.add(worker);
      return Promise.resolve(worker);
    }
    return new Promise<FunctionWorker>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(worker: FunctionWorker, healthy: boolean): void {
    this.busy.delete(worker);
    if (this.stopped) {
      void worker.terminate();
      return;
    }
    if (!healthy) void worker.terminate();
    const next = this.waiters.shift();
    if (next === undefined) {
      if (healthy) this.idle.push(worker);
      return;
    }
    const handOver = healthy ? worker : this.spawn();
    this.busy.add(handOver);
    next.resolve(handOver);
  }

  /** The most recently used idle worker still alive (one may have died while idle, e.g. `process.exit` in a timer). */
  private takeIdle(): FunctionWorker | undefined {
    for (let worker = this.idle.pop(); worker !== undefined; worker = this.idle.pop()) {
      if (worker.usable) return worker;
      void worker.terminate();
    }
    return undefined;
  }

  private spawn(): FunctionWorker {
    this.started++;
    return this.createWorker();
  }
}
