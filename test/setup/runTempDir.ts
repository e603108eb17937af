import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface RunTempDir {
  readonly dir: string;
  readonly previous: string | undefined;
  users: number;
}

/**
 * Vitest calls this once per project, all in its own process, so the folder is kept on `globalThis`:
 * the first project makes it, the last teardown removes it (as `globalSetup.ts` shares its engine).
 */
const SHARED = Symbol.for('quanta.test.runTempDir');
const shared = globalThis as { [SHARED]?: RunTempDir };

/**
 * Points `TMPDIR` at one folder for the whole test run, and removes that folder when the run ends.
 * Test workers start after the global setups and inherit the variable, so whatever a test, a library
 * or a child process puts in `os.tmpdir()` and leaves there goes with it. The case that made this
 * file: aws-cdk-lib writes every `App` without an `outdir` to a fresh `cdk.out*` folder in the
 * temporary directory and never removes it, so the stack tests left ~57 of them (~850 MB) behind
 * per `npm test` (docs/decisions.md D72).
 *
 * @example
 * ```ts
 * // vitest.config.ts, in every project:
 * test: { globalSetup: ['test/setup/runTempDir.ts'] }
 * ```
 */
export default function setup(): () => void {
  if (shared[SHARED] === undefined) {
    const previous = process.env.TMPDIR;
    const dir = mkdtempSync(path.join(tmpdir(), 'quanta-test-'));
    process.env.TMPDIR = dir;
    shared[SHARED] = { dir, previous, users: 0 };
  }
  const run = shared[SHARED];
  run.users += 1;
  return () => {
    run.users -= 1;
    if (run.users > 0) return;
    shared[SHARED] = undefined;
    if (run.previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = run.previous;
    rmSync(run.dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
