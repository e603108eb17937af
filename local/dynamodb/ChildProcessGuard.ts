import { spawn } from 'node:child_process';

/** Options of {@link ChildProcessGuard}. */
export interface ChildProcessGuardOptions {
  /** The process to protect against orphaning. */
  readonly childPid: number;
  /** The process whose death must take the child down. @default process.pid */
  readonly parentPid?: number;
  /** How often the watchdog checks the parent, in seconds. @default 1 */
  readonly checkEverySeconds?: number;
  /** Also start the shell watchdog (covers SIGKILL of the parent). @default true */
  readonly watchdog?: boolean;
}

/**
 * Makes sure a child process (DynamoDB Local's JVM) never outlives this Node.js process:
 * - on a normal exit (including `process.exit()` and uncaught exceptions) an `exit` handler kills
 *   it synchronously;
 * - for deaths no handler sees (SIGKILL, a crash of Node itself) a tiny detached `sh` watchdog
 *   polls the parent pid and kills the child once the parent is gone. It exits by itself as soon
 *   as the child is gone, so a normal stop leaves nothing behind either.
 *
 * Signals are not trapped here: installing SIGINT/SIGTERM handlers would change how the host
 * process reacts to Ctrl-C; the JVM shares the terminal's process group and gets Ctrl-C itself.
 *
 * @example
 * ```ts
 * const guard = new ChildProcessGuard({ childPid: java.pid });
 * // ... later, after stopping the child normally:
 * guard.release();
 * ```
 */
export class ChildProcessGuard {
  private readonly onExit: () => void;
  private watchdogPid: number | undefined;
  private released = false;

  constructor(private readonly options: ChildProcessGuardOptions) {
    const { childPid } = options;
    this.onExit = () => {
      try {
        process.kill(childPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    process.once('exit', this.onExit);
    if (options.watchdog ?? true) this.startWatchdog();
  }

  /** Pid of the watchdog shell, if one runs. */
  get watchdog(): number | undefined {
    return this.watchdogPid;
  }

  /** Call after the child was stopped: removes the exit handler and stops the watchdog. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    if (this.watchdogPid !== undefined) {
      try {
        process.kill(this.watchdogPid, 'SIGKILL');
      } catch {
        // It already noticed the child was gone and exited.
      }
    }
  }

  private startWatchdog(): void {
    const parent = this.options.parentPid ?? process.pid;
    const child = this.options.childPid;
    const every = this.options.checkEverySeconds ?? 1;
    const script = [
      `while kill -0 ${parent} 2>/dev/null; do`,
      `  kill -0 ${child} 2>/dev/null || exit 0`,
      `  sleep ${every}`,
      'done',
      `kill -9 ${child} 2>/dev/null`,
    ].join('\n');
    // Detached: its own process group, so the Ctrl-C meant for the host does not kill it first.
    const watchdog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    watchdog.on('error', () => {
      // No shell: the exit handler still covers normal exits.
    });
    watchdog.unref();
    this.watchdogPid = watchdog.pid;
  }
}
