import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { functionBundleBase } from '../../stacks/functionBundleBase';
import { BundleCache } from './BundleCache';
import { FunctionBuildError, FunctionDefinitionError } from './errors';

/** One function to bundle. */
export interface BundleRequest {
  /** Function id (`identity.api`); names the output folder. */
  readonly id: string;
  /** Absolute path of the TypeScript entry. */
  readonly entry: string;
}

/** What one `bundle()` call produced. */
export interface BundleOutput {
  /** Bundle path (`<dir>/<id>/index.mjs`) by function id. */
  readonly bundles: ReadonlyMap<string, string>;
  /** Bundle size in bytes by function id. */
  readonly sizes: ReadonlyMap<string, number>;
  /** The worker bootstrap, built in the same esbuild call. */
  readonly workerMainPath: string;
  /**
   * Where workers keep V8's compile cache of this build (`<dir>/.compile-cache`): it lives and is
   * pruned with the bundles it caches.
   */
  readonly compileCacheDir: string;
  /** Wall-clock time of the build (or of the cache lookup). */
  readonly durationMs: number;
  /** True when an earlier build was reused and esbuild did not run. */
  readonly cached: boolean;
  /** Lets the cache prune the bundles' folder once nothing runs them (no-op without `cache`). Idempotent. */
  release(): Promise<void>;
}

/** Options of {@link FunctionBundler}. */
export interface FunctionBundlerOptions {
  /**
   * Output folder. Keep it inside the project so externals (`@aws-sdk/*`) resolve from its
   * node_modules. With `cache`, each build goes to a subfolder named by its inputs' hash.
   */
  readonly outDir: string;
  /**
   * Packages left out of the bundles. @default ['@aws-sdk/*'], what CDK's NodejsFunction leaves out
   * for Node.js 18+ runtimes because the Lambda runtime provides them.
   */
  readonly external?: readonly string[];
  /** Minify like the deployed bundles. @default false (readable stack traces locally) */
  readonly minify?: boolean;
  /** esbuild target. @default 'node24' */
  readonly target?: string;
  /**
   * Put code shared by several functions in shared chunks (`<outDir>/_chunks/`) instead of copying it
   * into every bundle: ~8x faster and ~15x smaller output with a dozen functions. Each worker thread
   * still loads its own module instances, so functions share no state. @default true
   */
  readonly splitting?: boolean;
  /**
   * Reuse builds across runs (see {@link BundleCache}): a `bundle()` whose options and input files
   * all hash as an earlier build's returns that build without running esbuild. @default false
   */
  readonly cache?: boolean;
  /** The esbuild `build` function (injected in tests). @default esbuild.build */
  readonly build?: typeof esbuild.build;
  /**
   * Stops esbuild's service once this thread has no build under way (it idles at ~100 MB
   * otherwise; a later build restarts it). @default esbuild.stop, or nothing when `build` is injected
   */
  readonly stop?: () => Promise<void>;
}

const WORKER_MAIN_KEY = '_runtime/worker';
/** Bumped when the cache's layout or what the key covers changes. */
const CACHE_FORMAT = 1;

/**
 * Builds under way in this thread. esbuild runs one service per thread, shared by every caller, so
 * it may only be stopped when the last of them ends.
 */
let buildsUnderWay = 0;

/**
 * Runs `work`, which uses esbuild's service, then stops the service if no other work of this thread
 * still uses it: the one way to share the service (the function bundler, the developer console's
 * page) without leaving ~100 MB idle or stopping it under someone else's build.
 *
 * @example
 * ```ts
 * const result = await withEsbuildService(() => esbuild.build({ entryPoints: ['page/main.ts'], bundle: true, write: false }));
 * ```
 */
export async function withEsbuildService<T>(
  work: () => Promise<T>,
  stop: () => Promise<void> = esbuild.stop,
): Promise<T> {
  buildsUnderWay++;
  try {
    return await work();
  } finally {
    buildsUnderWay--;
    if (buildsUnderWay === 0) await stop();
  }
}

/**
 * Bundles every function with the settings the deployed bundles share (`functionBundleBase`: ESM,
 * platform node, source maps, a `createRequire` banner so CommonJS dependencies can `require`),
 * all in ONE esbuild call so the work runs in parallel inside esbuild, together with the worker
 * bootstrap. Unlike the deployed bundles (one package per function), code shared by several
 * functions goes to shared chunks (see `splitting`): what a function loads is the same code,
 * written once. esbuild's service is stopped after the build; with `cache`, an unchanged project is
 * not built again at all.
 *
 * @example
 * ```ts
 * const bundler = new FunctionBundler({ outDir: '.quanta/build' });
 * const out = await bundler.bundle([{ id: 'identity.api', entry: '/repo/quanta/identity/handlers/api.ts' }]);
 * out.bundles.get('identity.api'); // '/repo/.quanta/build/identity.api/index.mjs'
 * ```
 */
export class FunctionBundler {
  private readonly outDir: string;
  private readonly external: readonly string[];
  private readonly minify: boolean;
  private readonly target: string;
  private readonly splitting: boolean;
  private readonly build: typeof esbuild.build;
  private readonly stop: () => Promise<void>;
  private readonly cache: BundleCache | undefined;

  constructor(options: FunctionBundlerOptions) {
    this.outDir = path.resolve(options.outDir);
    this.external = options.external ?? ['@aws-sdk/*'];
    this.minify = options.minify ?? false;
    this.target = options.target ?? 'node24';
    this.splitting = options.splitting ?? true;
    this.build = options.build ?? esbuild.build;
    this.stop = options.stop ?? (options.build === undefined ? esbuild.stop : async () => undefined);
    this.cache = options.cache === true ? new BundleCache({ dir: this.outDir }) : undefined;
  }

  /** Bundles `requests` and the worker bootstrap; rejects with {@link FunctionBuildError} listing esbuild's errors. */
  async bundle(requests: readonly BundleRequest[]): Promise<BundleOutput> {
    const entryPoints: Record<string, string> = {
      [WORKER_MAIN_KEY]: path.join(import.meta.dirname, 'workerMain.ts'),
    };
    for (const request of requests) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.id)) {
        throw new FunctionDefinitionError(`Function id '${request.id}' cannot name an output folder`);
      }
      entryPoints[`${request.id}/index`] = request.entry;
    }
    await mkdir(this.outDir, { recursive: true });
    const started = performance.now();
    const options = this.optionsOf(entryPoints);
    if (this.cache === undefined) {
      const result = await this.run({ ...options, outdir: this.outDir }, requests.length);
      const sizes = sizesOf(result.metafile, this.outDir, requests);
      return this.outputOf(
        this.outDir,
        requests,
        sizes,
        performance.now() - started,
        false,
        async () => undefined,
      );
    }
    const optionsKey = createHash('sha256')
      .update(JSON.stringify({ format: CACHE_FORMAT, esbuild: esbuild.version, options }))
      .digest('hex')
      .slice(0, 24);
    const hit = await this.cache.lookup(optionsKey);
    if (hit !== undefined) {
      const sizes = new Map(Object.entries(hit.info.sizes));
      return this.outputOf(hit.dir, requests, sizes, performance.now() - started, true, hit.release);
    }
    const reservation = await this.cache.reserve();
    let result: esbuild.BuildResult<{ metafile: true }>;
    try {
      result = await this.run({ ...options, outdir: reservation.dir }, requests.length);
    } catch (error) {
      await this.cache.discard(reservation);
      throw error;
    }
    const sizes = sizesOf(result.metafile, reservation.dir, requests);
    const inputs = Object.keys(result.metafile.inputs).map((input) =>
      path.resolve(options.absWorkingDir ?? '', input),
    );
    const published = await this.cache.publish(reservation, optionsKey, inputs, {
      sizes: Object.fromEntries(sizes),
    });
    return this.outputOf(
      published.dir,
      requests,
      sizes,
      performance.now() - started,
      false,
      published.release,
    );
  }

  /** esbuild's options for these entry points, except `outdir`. */
  private optionsOf(entryPoints: Record<string, string>): esbuild.BuildOptions & { metafile: true } {
    return {
      ...functionBundleBase(),
      entryPoints,
      target: this.target,
      splitting: this.splitting,
      chunkNames: '_chunks/[name]-[hash]',
      minify: this.minify,
      external: [...this.external],
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: process.cwd(),
    };
  }

  /** One esbuild call; stops esbuild's service afterwards when no other build of this thread runs. */
  private async run(
    options: esbuild.BuildOptions & { metafile: true },
    functions: number,
  ): Promise<esbuild.BuildResult<{ metafile: true }>> {
    try {
      return await withEsbuildService(() => this.build(options), this.stop);
    } catch (cause) {
      throw new FunctionBuildError(`Bundling ${functions} function(s) failed:\n${describeFailure(cause)}`, {
        cause,
      });
    }
  }

  private outputOf(
    dir: string,
    requests: readonly BundleRequest[],
    sizes: ReadonlyMap<string, number>,
    durationMs: number,
    cached: boolean,
    release: () => Promise<void>,
  ): BundleOutput {
    return {
      bundles: new Map(requests.map((request) => [request.id, path.join(dir, request.id, 'index.mjs')])),
      sizes,
      workerMainPath: path.join(dir, `${WORKER_MAIN_KEY}.mjs`),
      compileCacheDir: path.join(dir, '.compile-cache'),
      durationMs,
      cached,
      release,
    };
  }
}

/** Bytes each requested function loads, from the metafile of a build into `dir`. */
function sizesOf(
  metafile: esbuild.Metafile,
  dir: string,
  requests: readonly BundleRequest[],
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const request of requests) {
    const file = path.join(dir, request.id, 'index.mjs');
    const size = loadedBytes(metafile.outputs, path.relative(process.cwd(), file).split(path.sep).join('/'));
    if (size !== undefined) sizes.set(request.id, size);
  }
  return sizes;
}

function describeFailure(cause: unknown): string {
  const errors = (cause as { errors?: readonly esbuild.Message[] } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return String(cause);
  return errors
    .map((e: esbuild.Message) => {
      const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
      return `  ${where}${e.text}`;
    })
    .join('\n');
}

/**
 * Bytes a function loads: its entry file plus every chunk it imports statically, transitively
 * (what a self-contained bundle of it would hold, near enough).
 */
function loadedBytes(outputs: esbuild.Metafile['outputs'], entry: string): number | undefined {
  if (outputs[entry] === undefined) return undefined;
  const seen = new Set<string>();
  const pending = [entry];
  let bytes = 0;
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const output = outputs[file];
    if (output === undefined || seen.has(file)) continue;
    seen.add(file);
    bytes += output.bytes;
    for (const imported of output.imports) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  return bytes;
}
