import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import workerThreads from 'node:worker_threads';

/**
 * Setup file of the `unit` and `stacks` projects (docs/decisions.md D36): their tests use no network
 * and stay where this guard sees them. Opening a socket (a server on loopback, `fetch`, an SDK client
 * that really sends), starting a process (a JVM, a `tsx` script, the CDK CLI) or a worker thread
 * (whose sockets this guard would not see) throws, so such a test fails until it is named
 * `*.int.test.ts` (or `*.e2e.test.ts`). One exception: esbuild's compiler service, a helper process
 * on pipes that the esbuild library starts for any build.
 */
function forbidden(what: string): never {
  throw new Error(
    `A unit test may not ${what}: unit tests use no network, and no process or worker but esbuild's. ` +
      'Name the file *.int.test.ts (a local engine) or *.e2e.test.ts (a local cloud); see docs/decisions.md D36.',
  );
}

const PROCESS_STARTERS = [
  'spawn',
  'spawnSync',
  'execFile',
  'execFileSync',
  'exec',
  'execSync',
  'fork',
] as const;
const isEsbuild = (command: unknown): boolean =>
  typeof command === 'string' && path.basename(command) === 'esbuild';

function sandbox(): void {
  net.Socket.prototype.connect = function connect(): never {
    return forbidden('open a socket');
  };
  net.Server.prototype.listen = function listen(): never {
    return forbidden('listen on a port');
  };
  dgram.Socket.prototype.bind = function bind(): never {
    return forbidden('bind a UDP socket');
  };
  for (const name of PROCESS_STARTERS) {
    const original = childProcess[name] as (...args: unknown[]) => unknown;
    const guarded = (...args: unknown[]): unknown =>
      (name === 'spawn' || name === 'execFileSync') && isEsbuild(args[0])
        ? original(...args)
        : forbidden(`start a process (child_process.${name} ${String(args[0])})`);
    Object.assign(childProcess, { [name]: guarded });
  }
  Object.assign(workerThreads, {
    Worker: class {
      constructor(filename: unknown) {
        forbidden(`start a worker thread (${String(filename)})`);
      }
    },
  });
  // Named ESM imports of built-ins (`import { spawn } from 'node:child_process'`) see the patches too.
  syncBuiltinESMExports();
}

// Once per worker: these projects run with `isolate: false`, and setup files run before every file.
const SANDBOXED = Symbol.for('quanta.test.unitSandbox');
const marked = globalThis as { [SANDBOXED]?: true };
if (marked[SANDBOXED] === undefined) {
  sandbox();
  marked[SANDBOXED] = true;
}
