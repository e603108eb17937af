/**
 * `npm start`: runs `local/main.ts` from one bundle of the project's own sources (the local cloud,
 * the runtime, the quanta, the contracts), kept in `node_modules/.cache/quanta-local-cloud` and
 * rebuilt only when one of those sources changed. npm packages stay outside the bundle and load as
 * Node.js loads them. Through tsx, loading the local cloud took about 0.9 s on 2 cores (every one of
 * ~2,000 modules through its loader hooks); from the bundle, about 0.3 s (decision D63).
 *
 * Plain JavaScript, type-checked from its JSDoc (`checkJs`): Node.js's type stripping would load
 * its TypeScript parser first, ~115 ms before the first line runs, and this file's first job is to
 * get DynamoDB Local's JVM spawned early. No import but Node.js built-ins and esbuild.
 * `node --import tsx local/main.ts` still runs the sources directly.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where {@link bundledEntry} found or built the bundle.
 * @typedef {object} BundledEntry
 * @property {string} file The bundle's entry file (`<cacheDir>/<key>/<entry name>.mjs`).
 * @property {boolean} cached True when an earlier build was reused (esbuild did not run).
 */

/**
 * Options of {@link bundledEntry}.
 * @typedef {object} BundledEntryOptions
 * @property {string} entry The TypeScript entry, absolute.
 * @property {string} cacheDir Where builds are kept, one folder per key, with `latest.json` naming the last one.
 * @property {number} [keep] Builds kept besides the latest (a running process may still load chunks of its own). Default 2.
 */

/**
 * What `latest.json` records: the last build's key and the files it was built from.
 * @typedef {{ key: string, inputs: string[] }} Latest
 */

/**
 * The bundle of `entry` and every source it imports outside `node_modules`, reused while none of
 * those files, their folders' listings and their `package.json` / `tsconfig.json` changed (hashed on
 * each call: ~10 ms), else rebuilt.
 * Each source keeps its own `import.meta.dirname`, `import.meta.filename` and `import.meta.url`,
 * so paths it finds beside itself (the DynamoDB Local launcher's Java source, the console's page,
 * the worker bootstrap) are the same as when it runs unbundled. A build is written aside and renamed
 * into place, so concurrent starts never load half of one.
 *
 * @example
 * ```ts
 * const { file } = await bundledEntry({ entry: '/repo/local/main.ts', cacheDir: '/repo/node_modules/.cache/quanta-local-cloud' });
 * await import(pathToFileURL(file).href);
 * ```
 * @param {BundledEntryOptions} options
 * @returns {Promise<BundledEntry>}
 */
export async function bundledEntry(options) {
  const name = `${path.basename(options.entry).replace(/\.[cm]?tsx?$/, '')}.mjs`;
  const latest = readLatest(options.cacheDir);
  if (latest !== undefined) {
    const file = path.join(options.cacheDir, latest.key, name);
    if (existsSync(file) && keyOf(options.entry, latest.inputs) === latest.key) return { file, cached: true };
  }
  const esbuild = await import('esbuild');
  mkdirSync(options.cacheDir, { recursive: true });
  const scratch = path.join(options.cacheDir, `.build-${process.pid}-${Date.now()}`);
  try {
    const result = await esbuild.build({
      entryPoints: [options.entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      splitting: true,
      outdir: scratch,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'error',
      plugins: [npmPackagesExternal(), ownImportMeta(esbuild.transform)],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .map((input) => path.resolve(input))
      .sort();
    const key = keyOf(options.entry, inputs);
    const dir = path.join(options.cacheDir, key);
    try {
      renameSync(scratch, dir);
    } catch (error) {
      // A concurrent start built the same key first: theirs is as good.
      if (!existsSync(path.join(dir, name))) throw error;
      rmSync(scratch, { recursive: true, force: true });
    }
    const pointer = path.join(options.cacheDir, `.latest-${process.pid}-${Date.now()}.json`);
    writeFileSync(pointer, JSON.stringify(/** @type {Latest} */ ({ key, inputs })));
    renameSync(pointer, path.join(options.cacheDir, 'latest.json'));
    prune(options.cacheDir, key, options.keep ?? 2);
    return { file: path.join(dir, name), cached: false };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  } finally {
    await esbuild.stop();
  }
}

/**
 * The build's key: this file, esbuild's version, every input's path and contents, the listing of
 * each folder holding one (a new file can shadow an import) and the nearest `package.json` and
 * `tsconfig.json` of each (they steer resolution); '' if an input is gone.
 * @param {string} entry
 * @param {readonly string[]} inputs
 * @returns {string}
 */
function keyOf(entry, inputs) {
  const hash = createHash('sha256')
    .update(readFileSync(import.meta.filename))
    .update(entry)
    .update(esbuildVersion());
  /** @type {Set<string>} */
  const folders = new Set();
  for (const input of inputs) {
    try {
      hash.update(input).update('\0').update(readFileSync(input)).update('\0');
    } catch {
      return '';
    }
    folders.add(path.dirname(input));
  }
  /** @type {Set<string>} */
  const steering = new Set();
  for (const folder of [...folders].sort()) {
    hash.update(folder).update('\0').update(readdirSync(folder).sort().join('/')).update('\0');
    for (const name of ['package.json', 'tsconfig.json']) {
      const nearest = nearestUp(folder, name);
      if (nearest !== undefined) steering.add(nearest);
    }
  }
  for (const file of [...steering].sort())
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * @param {string} folder
 * @param {string} name
 * @returns {string | undefined} the first `folder/../name` that exists, walking up
 */
function nearestUp(folder, name) {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** @returns {string} */
function esbuildVersion() {
  const manifest = path.join(import.meta.dirname, '..', 'node_modules', 'esbuild', 'package.json');
  try {
    return /** @type {{ version: string }} */ (JSON.parse(readFileSync(manifest, 'utf8'))).version;
  } catch {
    return 'unknown';
  }
}

/**
 * @param {string} cacheDir
 * @returns {Latest | undefined}
 */
function readLatest(cacheDir) {
  try {
    /** @type {Partial<Latest>} */
    const latest = JSON.parse(readFileSync(path.join(cacheDir, 'latest.json'), 'utf8'));
    return typeof latest.key === 'string' && Array.isArray(latest.inputs)
      ? { key: latest.key, inputs: latest.inputs }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes all builds but `current` and the `keep` most recent others (and scratch folders over an hour old).
 * @param {string} cacheDir
 * @param {string} current
 * @param {number} keep
 */
function prune(cacheDir, current, keep) {
  const hourAgo = Date.now() - 3_600_000;
  const builds = readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== current)
    .map((entry) => ({
      dir: path.join(cacheDir, entry.name),
      scratch: entry.name.startsWith('.'),
      mtime: statSync(path.join(cacheDir, entry.name)).mtimeMs,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  const builtBefore = builds.filter((build) => !build.scratch).slice(keep);
  const abandoned = builds.filter((build) => build.scratch && build.mtime < hourAgo);
  for (const { dir } of [...builtBefore, ...abandoned]) rmSync(dir, { recursive: true, force: true });
}

/**
 * npm packages stay external (Node.js loads them from `node_modules`), but workspace packages
 * (`@quanta/runtime`, linked from `node_modules` to the repository) are project sources: bundled.
 * @returns {import('esbuild').Plugin}
 */
function npmPackagesExternal() {
  return {
    name: 'npm-packages-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || resolved.path.split(path.sep).includes('node_modules')) {
          return { path: args.path, external: true };
        }
        return { path: resolved.path };
      });
    },
  };
}

/**
 * Each TypeScript source with its own `import.meta` paths (replaced in its syntax tree, not its strings).
 * @param {typeof import('esbuild').transform} transform
 * @returns {import('esbuild').Plugin}
 */
function ownImportMeta(transform) {
  return {
    name: 'own-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        const { code } = await transform(readFileSync(args.path, 'utf8'), {
          loader: 'ts',
          format: 'esm',
          target: 'node24',
          sourcefile: args.path,
          sourcemap: 'inline',
          tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
          define: {
            'import.meta.dirname': JSON.stringify(path.dirname(args.path)),
            'import.meta.filename': JSON.stringify(args.path),
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
          },
        });
        return { contents: code, loader: 'js' };
      });
    },
  };
}

if (import.meta.main) {
  const root = path.resolve(import.meta.dirname, '..');
  const built = await bundledEntry({
    entry: path.join(root, 'local', 'main.ts'),
    cacheDir: path.join(root, 'node_modules', '.cache', 'quanta-local-cloud'),
  }).catch((/** @type {Error} */ error) => {
    // esbuild has printed each error with its file and line already.
    console.error(`The local cloud could not be built: ${error.message.split('\n')[0]}`);
    process.exit(1);
  });
  // V8's code for the bundle and the npm packages it loads, kept beside the build (pruned with it), as
  // the function workers keep theirs (D67): a later start compiles less while the JVM boots.
  // NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  nodeModule.enableCompileCache(path.join(path.dirname(built.file), '.compile-cache'));
  await import(pathToFileURL(built.file).href);
  // The import settles once the cloud is ready; what the start compiled is written now, not at exit.
  nodeModule.flushCompileCache();
}
