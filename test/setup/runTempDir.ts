import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedAcrossProjects } from './sharedAcrossProjects';

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
export default function setup(): () => Promise<void> {
  return sharedAcrossProjects(
    'quanta.test.runTempDir',
    () => {
      const previous = process.env.TMPDIR;
      const dir = mkdtempSync(path.join(tmpdir(), 'quanta-test-'));
      process.env.TMPDIR = dir;
      return { dir, previous };
    },
    ({ dir, previous }) => {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  ).release;
}
