import type * as esbuild from 'esbuild';

/**
 * Lets ESM bundles load CommonJS dependencies that call `require()` (the AWS SDK's and Powertools'
 * transitive dependencies still do). Every output file gets it: each is a module of its own.
 */
const REQUIRE_SHIM =
  "import { createRequire as __quantaCreateRequire } from 'node:module'; const require = __quantaCreateRequire(import.meta.url);";

/**
 * The esbuild settings every function bundle shares, deployed (`functionCode`) and local (the local
 * cloud's `FunctionBundler`), so the code the local cloud runs is built as the code AWS runs: ESM
 * `.mjs` for Node.js 24, `module` before `main`, the `createRequire` banner, and source maps without
 * the sources in them (stack traces still name the TypeScript file and line, and a local worker
 * parses a third of the map, ~7 MB less per worker). Each adds its own entries, output folder, chunking and minification. This
 * file has no CDK import, so the local cloud takes its settings from here.
 *
 * @example
 * ```ts
 * await esbuild.build({ ...functionBundleBase(), entryPoints: { index: 'quanta/identity/functions/api.ts' }, outdir: 'out' });
 * ```
 */
export function functionBundleBase(): esbuild.BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_SHIM },
    sourcemap: true,
    sourcesContent: false,
  };
}
