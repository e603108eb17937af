import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { FunctionError } from './FunctionInvoker';
import type { FunctionLogSink, FunctionOutput } from './FunctionLogSink';
import { toFunctionError } from './toFunctionError';
import type { FromWorkerMessage, InvokeMessage, WorkerData } from './workerProtocol';

/** How one invocation on one worker ended. `fatal` means the worker is gone and must be replaced. */
export type WorkerOutcome =
  | {
      readonly ok: true;
      readonly payload: unknown;
      readonly durationMs: number;
      readonly coldStart: boolean;
      readonly initDurationMs?: number;
    }
  | {
      readonly ok: false;
      readonly error: FunctionError;
      readonly durationMs: number;
      readonly coldStart: boolean;
      readonly initDurationMs?: number;
      readonly fatal: boolean;
    };

/** Options of {@link FunctionWorker}. */
export interface FunctionWorkerOptions {
  readonly functionId: string;
  /** The bundled worker bootstrap (`workerMain.ts`). */
  readonly workerMainPath: string;
  /** What the worker hosts; whether it discards its output follows from `logSink`. */
  readonly data: Omit<WorkerData, 'discardOutput'>;
  /** The worker's complete `process.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Lambda's init phase limit. @default 10000 */
  readonly initTimeoutMs?: number;
  /** Where its output and the runtime's error lines about it go. */
  readonly logSink: FunctionOutput;
}

type ReadyState =
  | { readonly ok: true; readonly initDurationMs: number }
  | { readonly ok: false; readonly error: FunctionError };

interface Pending {
  readonly requestId: string;
  settle(outcome: WorkerOutcome): void;
}

/**
 * One Lambda execution environment: a worker thread that loads the function's bundle once and then
 * runs one invocation at a time. A timeout, a crash or an init failure kills it; its pool replaces
 * it, so the next invocation is a cold start, as on Lambda.
 *
 * @example
 * ```ts
 * const worker = new FunctionWorker({ functionId: 'identity.api', workerMainPath, data, env, logSink });
 * const outcome = await worker.invoke(randomUUID(), JSON.stringify(event));
 * await worker.terminate();
 * ```
 */
export class FunctionWorker {
  private readonly worker: Worker;
  private readonly ready: Promise<ReadyState>;
  private resolveReady: (state: ReadyState) => void = () => {};
  private pending: Pending | undefined;
  private dead = false;
  private invocations = 0;
  private readonly initTimer: NodeJS.Timeout;

  constructor(private readonly options: FunctionWorkerOptions) {
    this.ready = new Promise<ReadyState>((resolve) => {
      this.resolveReady = resolve;
    });
    this.worker = new Worker(options.workerMainPath, {
      name: options.functionId,
      workerData: { ...options.data, discardOutput: options.logSink === 'discard' } satisfies WorkerData,
      env: { ...options.env },
      execArgv: ['--enable-source-maps'],
      stdout: true,
      stderr: true,
      resourceLimits: youngAndOldGenerationsOf(options.data.memoryMb),
    });
    const sink = options.logSink;
    if (sink === 'discard') {
      // The worker drops its own output; whatever still arrives (nothing, normally) is drained.
      this.worker.stdout.resume();
      this.worker.stderr.resume();
    } else {
      this.pipe(this.worker.stdout, 'stdout', sink);
      this.pipe(this.worker.stderr, 'stderr', sink);
    }
    this.worker.on('message', (message: FromWorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error: Error) => this.onError(error));
    this.worker.on('exit', (code: number) => this.onExit(code));
    const initTimeoutMs = options.initTimeoutMs ?? 10_000;
    this.initTimer = setTimeout(() => {
      this.resolveReady({
        ok: false,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `INIT timed out after ${seconds(initTimeoutMs)} seconds`,
        },
      });
      this.kill();
    }, initTimeoutMs);
    this.initTimer.unref();
  }

  /** Settles once the init phase ended, whether it succeeded, failed, timed out or the thread died. */
  async initialized(): Promise<void> {
    await this.ready;
  }

  /** False once the worker timed out, crashed, failed to init or was terminated. */
  get usable(): boolean {
    return !this.dead;
  }

  /** The worker's thread id (what `worker_threads.threadId` says inside the function). */
  get threadId(): number {
    return this.worker.threadId;
  }

  /** Runs one invocation. Never rejects; a failure is `{ ok: false }`. Callers must not overlap calls. */
  async invoke(requestId: string, eventJson: string): Promise<WorkerOutcome> {
    const started = performance.now();
    const coldStart = this.invocations++ === 0;
    const elapsed = (): number => performance.now() - started;
    const ready = await this.ready;
    const initDurationMs = coldStart && ready.ok ? ready.initDurationMs : undefined;
    if (!ready.ok) {
      this.kill();
      return { ok: false, error: ready.error, durationMs: elapsed(), coldStart, fatal: true };
    }
    if (this.dead) {
      return {
        ok: false,
        error: exitError(requestId, 'worker terminated'),
        durationMs: elapsed(),
        coldStart,
        fatal: true,
      };
    }
    const timeoutMs = this.options.data.timeoutMs;
    return new Promise<WorkerOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.kill();
        resolve({
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds(timeoutMs)} seconds`,
          },
          durationMs: elapsed(),
          coldStart,
          initDurationMs,
          fatal: true,
        });
      }, timeoutMs);
      this.pending = {
        requestId,
        settle: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(
            outcome.ok
              ? { ...outcome, durationMs: elapsed(), coldStart, initDurationMs }
              : { ...outcome, durationMs: elapsed(), coldStart, initDurationMs },
          );
        },
      };
      const message: InvokeMessage = { type: 'invoke', requestId, eventJson };
      this.worker.postMessage(message);
    });
  }

  /** Stops the thread (idempotent). */
  async terminate(): Promise<void> {
    this.dead = true;
    clearTimeout(this.initTimer);
    await this.worker.terminate();
  }

  private kill(): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.initTimer);
    void this.worker.terminate();
  }

  private onMessage(message: FromWorkerMessage): void {
    switch (message.type) {
      case 'ready':
        clearTimeout(this.initTimer);
        this.resolveReady({ ok: true, initDurationMs: message.initDurationMs });
        return;
      case 'initError':
        clearTimeout(this.initTimer);
        this.logError('Init Error', message.error, message.trace);
        this.resolveReady({ ok: false, error: message.error });
        return;
      case 'result': {
        const pending = this.pending;
        if (pending === undefined || pending.requestId !== message.requestId) return;
        if (message.ok) {
          pending.settle({
            ok: true,
            payload: JSON.parse(message.payloadJson) as unknown,
            durationMs: message.durationMs,
            coldStart: false,
          });
        } else {
          this.logError('Invoke Error', message.error, message.trace);
          pending.settle({
            ok: false,
            error: message.error,
            durationMs: message.durationMs,
            coldStart: false,
            fatal: false,
          });
        }
        return;
      }
    }
  }

  private onError(thrown: Error): void {
    this.dead = true;
    const code = (thrown as { code?: unknown }).code;
    const { error, trace } =
      code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? {
            error: {
              errorType: 'Runtime.OutOfMemory',
              errorMessage: 'Runtime exited with error: out of memory',
            },
            trace: [],
          }
        : toFunctionError(thrown);
    this.logError('Uncaught Exception', error, trace);
    this.fail(error);
  }

  private onExit(code: number): void {
    this.dead = true;
    clearTimeout(this.initTimer);
    this.fail(exitError(this.pending?.requestId ?? '-', `exit status ${code}`));
  }

  private fail(error: FunctionError): void {
    this.resolveReady({ ok: false, error });
    this.pending?.settle({ ok: false, error, durationMs: 0, coldStart: false, fatal: true });
  }

  private logError(kind: string, error: FunctionError, trace: readonly string[]): void {
    if (this.options.logSink === 'discard') return;
    this.options.logSink({
      functionId: this.options.functionId,
      stream: 'stderr',
      line: `ERROR\t${kind}\t${JSON.stringify({ ...error, stack: trace })}`,
    });
  }

  private pipe(stream: Readable, name: 'stdout' | 'stderr', sink: FunctionLogSink): void {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        sink({ functionId: this.options.functionId, stream: name, line: buffered.slice(0, newline) });
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    });
    stream.on('end', () => {
      if (buffered.length > 0) sink({ functionId: this.options.functionId, stream: name, line: buffered });
      buffered = '';
    });
  }
}

/**
 * V8 heap limits of a worker. The old generation is capped at the function's memory, the closest a
 * thread gets to Lambda's memory setting. The young generation is capped at 3/128 of it (12 MB for
 * 512 MB) instead of V8's 48 MB: Lambda gives every environment its own memory, a laptop shares its
 * own among all workers, and a busy worker otherwise grows to ~90 MB of heap with 20–40 MB live.
 * More frequent scavenges cost no measurable CPU per invocation (short-lived request garbage).
 */
function youngAndOldGenerationsOf(memoryMb: number): {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
} {
  return {
    maxOldGenerationSizeMb: memoryMb,
    maxYoungGenerationSizeMb: Math.max(6, Math.round((3 * memoryMb) / 128)),
  };
}

function exitError(requestId: string, detail: string): FunctionError {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${detail}`,
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}
