import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Leaves npm packages out of the bundle (they never import project files, and parsing the AWS SDK
 * would make this test slow) but follows the workspace packages, which are project files.
 */
const npmPackagesExternal: esbuild.Plugin = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@quanta/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * The project source files (everything outside node_modules) esbuild parses to bundle `entry` as
 * the stacks do. Barrels count: esbuild parses every module an `index.ts` re-exports, used or not.
 */
async function projectFilesOf(entry: string): Promise<string[]> {
  const { metafile } = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    plugins: [npmPackagesExternal],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs).filter((file) => !file.includes('node_modules'));
}

// Issue 6: following one request should mean opening a few dozen files, not every module of the kit.
describe('a function bundle stays small', () => {
  it("orders' api parses at most 40 project files", async () => {
    const files = await projectFilesOf('quanta/orders/functions/api.ts');

    expect(files.length, files.join('\n')).toBeLessThanOrEqual(40);
  });

  it("the platform's HTTP authorizer parses at most 20 project files", async () => {
    const files = await projectFilesOf('quanta/platform/functions/authorizer.ts');

    expect(files.length, files.join('\n')).toBeLessThanOrEqual(20);
  });
});
