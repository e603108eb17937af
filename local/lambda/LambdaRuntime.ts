import { randomBytes, randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { FunctionDefinitionError, LambdaRuntimeStoppedError, UnknownFunctionError } from './errors';
import { FunctionBundler } from './FunctionBundler';
import type { FunctionInvoker, InvokeOptions, InvokeResult } from './FunctionInvoker';
import type { FunctionOutput } from './FunctionLogSink';
import { prefixedConsoleSink } from './FunctionLogSink';
import type { PoolStats } from './FunctionPool';
import { ColdStartGate, FunctionPool, WorkerBudget } from './FunctionPool';
import { FunctionWorker } from './FunctionWorker';
import type { LocalCredentials, LocalFunction } from './LocalFunction';

/** An {@link InvokeResult} with what Lambda's REPORT line adds. */
export type LambdaInvokeResult = InvokeResult & {
  /** `context.awsRequestId` of the invocation. */
  readonly requestId: string;
  /** Time spent loading the bundle, on a cold start. */
  readonly initDurationMs?: number;
};

/** Options of {@link LambdaRuntime}. */
export interface LambdaRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  /** Where bundles go; keep it inside the project (see `FunctionBundler`). @default `<cwd>/.quanta/build` */
  readonly buildDir?: string;
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** Account id used in ARNs. @default '000000000000' */
  readonly accountId?: string;
  /** Variables every function sees, typically the `AWS_ENDPOINT_URL_*` of the local engines. @default {} */
  readonly baseEnvironment?: Readonly<Record<string, string>>;
  /** Credentials of a function that brings none of its own. @default local/local */
  readonly credentials?: LocalCredentials;
  /**
   * The most workers (execution environments) one function runs at once; a function's lower reserved
   * concurrency wins. Lambda scales out on other hosts, a laptop only has its cores: more workers than
   * cores add cold starts, JIT and GC, not throughput, so the excess queues. @default max(2, the machine's cores)
   */
  readonly maxWorkersPerFunction?: number;
  /**
   * How long a worker may stay idle before it is terminated, as Lambda reclaims idle execution
   * environments (the next invocation is then a cold start). @default 60000
   */
  readonly workerIdleTimeoutMs?: number;
  /** Resolve `*.localhost` to 127.0.0.1 inside functions (local queue URLs use it). @default true */
  readonly resolveLocalhostSubdomains?: boolean;
  /**
   * Keep V8's compile cache of the bundles (and the packages they load) in the build folder, so a
   * cold start reads the code an earlier worker compiled instead of compiling it again (D67).
   * @default true
   */
  readonly compileCache?: boolean;
  /**
   * Where function output goes; `'discard'` drops it inside each worker (and switches Powertools'
   * logger and metrics off there, as nobody reads them). @default each line on the parent's
   * stdout/stderr, prefixed `[id]`
   */
  readonly logSink?: FunctionOutput;
  /** The bundler. @default a {@link FunctionBundler} writing to `buildDir` */
  readonly bundler?: Pick<FunctionBundler, 'bundle'>;
  /** How many workers may initialise at once across all functions. @default the machine's cores */
  readonly maxConcurrentColdStarts?: number;
  /**
   * How many workers may stay alive across all functions before idle ones are retired after 5 s
   * instead of `workerIdleTimeoutMs` (see `WorkerBudget`). @default 4 per core
   */
  readonly maxLiveWorkers?: number;
}

/** Measurements of {@link LambdaRuntime.start}. */
export interface LambdaRuntimeStartInfo {
  readonly functions: number;
  readonly buildMs: number;
  readonly bundleSizes: ReadonlyMap<string, number>;
}

interface Prepared {
  readonly fn: LocalFunction;
  readonly pool: FunctionPool;
}

/**
 * The local Lambda service: bundles every function with esbuild (one call, in parallel), then runs
 * each one in worker threads, one invocation per worker at a time, each worker with its own env,
 * module state, timeout and cold start.
 *
 * @example
 * ```ts
 * const runtime = new LambdaRuntime({ functions: localFunctionsOf(plan, endpoints) });
 * await runtime.start();
 * const result = await runtime.invoke('identity.api', event);
 * await runtime.stop();
 * ```
 */
export class LambdaRuntime implements FunctionInvoker {
  private readonly functions = new Map<string, Prepared>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly logSink: FunctionOutput;
  private readonly maxWorkers: number;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  /** Shared by every pool: inits run about one per core, not forty at once. */
  private readonly coldStarts: ColdStartGate;
  /** Shared by every pool: what idle workers may hold, machine-wide. */
  private readonly budget: WorkerBudget;

  constructor(private readonly options: LambdaRuntimeOptions) {
    this.region = options.region ?? 'eu-west-1';
    this.accountId = options.accountId ?? '000000000000';
    this.logSink = options.logSink ?? prefixedConsoleSink();
    this.coldStarts = new ColdStartGate(options.maxConcurrentColdStarts ?? availableParallelism());
    this.budget = new WorkerBudget({ capacity: options.maxLiveWorkers ?? 4 * availableParallelism() });
    this.maxWorkers = options.maxWorkersPerFunction ?? Math.max(2, availableParallelism());
    if (!Number.isInteger(this.maxWorkers) || this.maxWorkers < 1) {
      throw new FunctionDefinitionError(
        `maxWorkersPerFunction must be a positive integer, got ${options.maxWorkersPerFunction}`,
      );
    }
    const seen = new Set<string>();
    for (const fn of options.functions) {
      if (seen.has(fn.id)) throw new FunctionDefinitionError(`Function '${fn.id}' is defined twice`);
      seen.add(fn.id);
      const timeout = fn.timeoutSeconds ?? 10;
      if (!(timeout > 0))
        throw new FunctionDefinitionError(`Function '${fn.id}' has timeoutSeconds ${timeout}; must be > 0`);
      if (!path.isAbsolute(fn.entry)) {
        throw new FunctionDefinitionError(
          `Function '${fn.id}' entry must be an absolute path, got '${fn.entry}'`,
        );
      }
    }
  }

  /** Bundles all functions. Workers start lazily, on the first invocation of each. */
  async start(): Promise<LambdaRuntimeStartInfo> {
    if (this.state !== 'new') throw new Error(`LambdaRuntime.start() called twice (state: ${this.state})`);
    this.state = 'starting';
    await Promise.all(
      this.options.functions.map(async (fn) => {
        try {
          await access(fn.entry);
        } catch (cause) {
          throw new FunctionDefinitionError(`Function '${fn.id}' entry '${fn.entry}' does not exist`, {
            cause,
          });
        }
      }),
    );
    const bundler =
      this.options.bundler ??
      new FunctionBundler({ outDir: this.options.buildDir ?? path.join(process.cwd(), '.quanta', 'build') });
    const output = await bundler.bundle(this.options.functions.map((fn) => ({ id: fn.id, entry: fn.entry })));
    for (const fn of this.options.functions) {
      const bundlePath = output.bundles.get(fn.id);
      if (bundlePath === undefined)
        throw new FunctionDefinitionError(`No bundle was produced for '${fn.id}'`);
      const pool = new FunctionPool({
        functionId: fn.id,
        maxSize: Math.min(fn.reservedConcurrency ?? this.maxWorkers, this.maxWorkers),
        createWorker: () =>
          this.createWorker(
            fn,
            bundlePath,
            output.workerMainPath,
            this.options.compileCache === false ? undefined : output.compileCacheDir,
          ),
        gate: this.coldStarts,
        budget: this.budget,
        idleTimeoutMs: this.options.workerIdleTimeoutMs ?? 60_000,
      });
      this.functions.set(fn.id, { fn, pool });
    }
    this.state = 'running';
    return { functions: this.functions.size, buildMs: output.durationMs, bundleSizes: output.sizes };
  }

  /** See {@link FunctionInvoker.invoke}. */
  async invoke(functionId: string, event: unknown, options: InvokeOptions = {}): Promise<LambdaInvokeResult> {
    if (this.state !== 'running') {
      throw new LambdaRuntimeStoppedError(functionId, this.state === 'stopped' ? 'stopped' : 'not started');
    }
    const prepared = this.functions.get(functionId);
    if (prepared === undefined) throw new UnknownFunctionError(functionId, [...this.functions.keys()]);
    const requestId = randomUUID();
    const eventJson = JSON.stringify(event) ?? 'null';
    const outcome = await prepared.pool.run((worker) => {
      options.onStart?.();
      return worker.invoke(requestId, eventJson);
    });
    // The state may have changed while the invocation ran.
    if (this.isStopped()) throw new LambdaRuntimeStoppedError(functionId, 'stopped');
    const { durationMs, coldStart, initDurationMs } = outcome;
    const timing =
      initDurationMs === undefined ? { durationMs, coldStart } : { durationMs, coldStart, initDurationMs };
    return outcome.ok
      ? { ok: true, payload: outcome.payload, requestId, ...timing }
      : { ok: false, error: outcome.error, requestId, ...timing };
  }

  /** Pool statistics of one function. */
  stats(functionId: string): PoolStats {
    const prepared = this.functions.get(functionId);
    if (prepared === undefined) throw new UnknownFunctionError(functionId, [...this.functions.keys()]);
    return prepared.pool.stats();
  }

  /** Ids of the functions this runtime hosts. */
  functionIds(): string[] {
    return this.options.functions.map((fn) => fn.id);
  }

  /** Terminates every worker; later and in-flight invocations reject with `LambdaRuntimeStoppedError`. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    await Promise.all([...this.functions.values()].map(({ pool }) => pool.stop()));
  }

  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private createWorker(
    fn: LocalFunction,
    bundlePath: string,
    workerMainPath: string,
    compileCacheDir: string | undefined,
  ): FunctionWorker {
    const functionName = fn.functionName ?? fn.id.replaceAll('.', '-');
    const memoryMb = fn.memoryMb ?? 512;
    const logGroupName = `/aws/lambda/${functionName}`;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const env = workerEnvironmentOf(
      fn.environment ?? {},
      {
        region: this.region,
        credentials: fn.credentials ??
          this.options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
        baseEnvironment: this.options.baseEnvironment ?? {},
        outputDiscarded: this.logSink === 'discard',
      },
      { functionName, memoryMb, logGroupName, logStreamName },
    );
    return new FunctionWorker({
      functionId: fn.id,
      workerMainPath,
      env,
      logSink: this.logSink,
      data: {
        bundlePath,
        functionName,
        functionArn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName}`,
        memoryMb,
        timeoutMs: (fn.timeoutSeconds ?? 10) * 1000,
        logGroupName,
        logStreamName,
        resolveLocalhostSubdomains: this.options.resolveLocalhostSubdomains ?? true,
        ...(compileCacheDir === undefined ? {} : { compileCacheDir }),
      },
    });
  }
}

/** Settings of one function's environment. */
interface WorkerEnvironmentSettings {
  readonly region: string;
  /**
   * The function's credentials: the storage engines accept any, the facade gateway verifies
   * signatures with them, and the SDK's credential chain stops at the env.
   */
  readonly credentials: LocalCredentials;
  /** `AWS_ENDPOINT_URL_*` variables (and anything else every function must see). */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  /** The runtime drops the function's output: Powertools need not produce it. */
  readonly outputDiscarded: boolean;
}

/** What Lambda itself knows about one execution environment. */
interface ExecutionEnvironmentInfo {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/**
 * The complete `process.env` of one worker: the base (endpoints), the function's own variables,
 * then what Lambda reserves (region, credentials, `AWS_LAMBDA_*`), which a function cannot
 * override. Nothing is copied from the parent's `process.env`. `AWS_EXECUTION_ENV` is deliberately
 * absent: libraries (Powertools Tracer, X-Ray) would then believe they run in Lambda and try to
 * reach its X-Ray daemon. Two local facts are added:
 * - There is no X-Ray daemon, so tracing is off (`isTracingAvailable`) and the runtime does not load
 *   the X-Ray SDK (decision D58). Should anything load it, `AWS_XRAY_MANUAL_MODE` makes it skip the
 *   async hook it would install on every promise of the function; a deployed function, where tracing
 *   is on, never gets it.
 * - When the runtime discards function output, Powertools' logger is `SILENT` and its metrics are
 *   disabled, so no line is formatted for nobody (the worker drops any other output itself).
 *
 * @example
 * ```ts
 * const env = workerEnvironmentOf({ TABLE_NAME: 'quanta-identity' }, settings, info);
 * env.AWS_LAMBDA_FUNCTION_NAME; // 'quanta-identity-api'
 * ```
 */
function workerEnvironmentOf(
  functionEnvironment: Readonly<Record<string, string>>,
  settings: WorkerEnvironmentSettings,
  info: ExecutionEnvironmentInfo,
): Record<string, string> {
  return {
    ...settings.baseEnvironment,
    ...functionEnvironment,
    ...(settings.outputDiscarded
      ? { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' }
      : {}),
    AWS_XRAY_MANUAL_MODE: 'true',
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_ACCESS_KEY_ID: settings.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: settings.credentials.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: info.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(info.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: info.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: info.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
}
