import { type ChildProcess, spawn } from 'node:child_process';

/** A server the benchmark runs in its own process, stopped by pid. */
export class ChildServer {
  private constructor(
    private readonly child: ChildProcess,
    /** `performance.now()` when the child was spawned. */
    readonly spawnedAt: number,
    /** Milliseconds from spawn to the ready line. */
    readonly readyMs: number,
    /** The ready line's match. */
    readonly ready: RegExpMatchArray,
    private readonly outputSoFar: () => string,
  ) {}

  /** The child's process id (the root of its process tree, for CPU and memory readings). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Everything the child wrote to stderr, and to stdout until its ready line (to report its errors). */
  get output(): string {
    return this.outputSoFar();
  }

  /**
   * Spawns `command args` and waits (at most `timeoutMs`) for a stdout line matching `readyLine`.
   * Output is kept for the error message if it never gets ready.
   */
  static async start(
    command: string,
    args: readonly string[],
    readyLine: RegExp,
    options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
  ): Promise<ChildServer> {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${command} was not ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`));
      }, options.timeoutMs ?? 30_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = output.match(readyLine);
        if (match !== null) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve(new ChildServer(child, started, performance.now() - started, match, () => output));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`));
      });
    });
  }

  /** SIGINT (Ctrl-C, like a developer), then SIGKILL after `graceMs`; resolves with the stop time. */
  async stop(graceMs = 15_000): Promise<number> {
    const started = performance.now();
    if (this.child.exitCode !== null) return 0;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stderr?.resume();
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    return performance.now() - started;
  }
}
