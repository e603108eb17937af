import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { manifests } from '../../quanta/manifests';
import { functionBundleBase } from '../../stacks/functionBundleBase';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Leaves npm packages out of the bundle (they never import project files, and parsing the AWS SDK
 * would make this test slow) but follows the workspace packages, which are project files, and the
 * packages in `follow`.
 */
function npmPackagesExternal(follow: readonly string[] = []): esbuild.Plugin {
  return {
    name: 'npm-packages-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('@quanta/') ||
        follow.some((p) => args.path === p || args.path.startsWith(`${p}/`))
          ? undefined
          : { path: args.path, external: true },
      );
    },
  };
}

/** esbuild's metafile for `entryPoints`, bundled and minified as the stacks do. */
async function bundle(entryPoints: string[], plugin: esbuild.Plugin): Promise<esbuild.Metafile> {
  const { metafile } = await esbuild.build({
    ...functionBundleBase(),
    entryPoints,
    absWorkingDir: repoRoot,
    minify: true,
    plugins: [plugin],
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return metafile;
}

/**
 * The project source files (everything outside node_modules) esbuild parses to bundle `entry` as
 * the stacks do. Barrels count: esbuild parses every module an `index.ts` re-exports, used or not.
 */
async function projectFilesOf(entry: string): Promise<string[]> {
  const metafile = await bundle([entry], npmPackagesExternal());
  return Object.keys(metafile.inputs).filter((file) => !file.includes('node_modules'));
}

/** Every function entry of every quantum, relative to the repository. */
const functionEntries = Object.values(manifests).flatMap((m) =>
  Object.values(m.functions).map((f) => path.relative(repoRoot, path.join(m.dir, f.entry))),
);

// Issue 6: following one request should mean opening a few dozen files, not every module of the kit.
// Each budget counts `runtime/src/observability/xrayTracing.ts`, imported only when tracing is on (D58),
// and `sdkCallLogging.ts` (D75), a module of its own so that the local cloud shares it without Powertools.
describe('a function bundle stays small', () => {
  it("orders' api parses at most 42 project files", async () => {
    const files = await projectFilesOf('quanta/orders/functions/api.ts');

    expect(files.length, files.join('\n')).toBeLessThanOrEqual(42);
  });

  it("the platform's HTTP authorizer parses at most 22 project files", async () => {
    const files = await projectFilesOf('quanta/platform/functions/authorizer.ts');

    expect(files.length, files.join('\n')).toBeLessThanOrEqual(22);
  });

  // D12: classic zod is ~450 KB of every bundle and ~40 ms of every cold start; `zod/mini` is what
  // a function needs. One classic import anywhere (project code, or a package such as Powertools'
  // parser, the only npm package here that depends on zod) brings all of it back.
  it('no function bundles classic zod; each has zod/mini with its English messages, in under 45 KB', async () => {
    const metafile = await bundle(
      functionEntries,
      npmPackagesExternal(['zod', '@aws-lambda-powertools/parser']),
    );

    const zodOf = Object.values(metafile.outputs)
      .filter((o) => o.entryPoint !== undefined)
      .map((o) => {
        const zod = Object.entries(o.inputs).filter(
          ([file, input]) => file.includes('node_modules/zod/') && input.bytesInOutput > 0,
        );
        return {
          entry: o.entryPoint,
          classic: zod.filter(([file]) => file.includes('/classic/')).map(([file]) => file),
          english: zod.some(([file]) => file.endsWith('/locales/en.js')),
          kb: Math.round(zod.reduce((sum, [, input]) => sum + input.bytesInOutput, 0) / 1024),
        };
      });
    expect(zodOf.map((z) => z.entry).sort()).toEqual([...functionEntries].sort());
    for (const z of zodOf) expect(z, z.entry).toMatchObject({ classic: [], english: true });
    for (const z of zodOf) expect(z.kb, z.entry).toBeLessThan(45);
  });
});

// D37: the X-Ray SDK (Powertools Tracer's dependency, via cls-hooked) installs an async hook with a
// destroy callback on every promise of the thread that loads it. Workers load it in manual mode;
// the cloud's own thread must not load it at all (it cost ~9 of 49 busy seconds in a flash sale).
describe("the local cloud's main thread", () => {
  it('never loads the X-Ray SDK or Powertools Tracer', async () => {
    const metafile = await bundle(
      ['local/main.ts'],
      npmPackagesExternal(['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core']),
    );

    const tracing = Object.keys(metafile.inputs).filter(
      (file) => file.includes('node_modules/aws-xray-sdk-core/') || file.includes('powertools/tracer/'),
    );
    expect(tracing).toEqual([]);
  });
});

/**
 * The imports by which `entry` reaches a file or package matching `target`, as `importer -> imported`,
 * following static imports only unless `dynamic`. The walk stops at a match and at external packages.
 */
function importsReaching(
  target: RegExp,
  entry: string,
  metafile: esbuild.Metafile,
  options: { readonly dynamic: boolean },
): string[] {
  const found: string[] = [];
  const visited = new Set([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' && !options.dynamic) continue;
      if (target.test(imported.path)) found.push(`${file} -> ${imported.path}`);
      else if (imported.external !== true && !visited.has(imported.path)) {
        visited.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return found;
}

/** A Powertools Tracer or X-Ray SDK file, or the bare specifier of either package. */
const XRAY = /(^|\/)(@aws-lambda-powertools\/tracer|aws-xray-sdk-core)(\/|$)/;

// D58: the X-Ray SDK costs every cold start that loads it (an async hook on every promise, too), so
// it is loaded only when tracing is on, by a dynamic import: no function may import it statically.
describe('tracing is paid for only when it is on', () => {
  it('no function statically imports Powertools Tracer or the X-Ray SDK, yet each can load them', async () => {
    // Powertools packages are followed, so one that imported the X-Ray SDK itself would show too.
    const metafile = await bundle(functionEntries, npmPackagesExternal(['@aws-lambda-powertools']));

    for (const entry of functionEntries) {
      expect(importsReaching(XRAY, entry, metafile, { dynamic: false }), entry).toEqual([]);
      expect(importsReaching(XRAY, entry, metafile, { dynamic: true }), entry).not.toEqual([]);
    }
  });
});
