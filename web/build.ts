/**
 * The web client's one build definition, used by `npm run build -w web`, by `npm start` (through
 * local/web, which caches it) and by `cdk synth` (the Web stack's asset bundling). Run as a script:
 * `tsx web/build.ts [--out <dir>]` (default `web/dist`).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The web workspace's folder (where index.html is). */
export const WEB_ROOT = import.meta.dirname;

/** What a build produced and what it read. */
export interface WebBuildResult {
  /** Files written, relative to `outDir`, with their size in bytes. */
  readonly files: Readonly<Record<string, number>>;
  /** Absolute paths of every source file the build read (for the local build cache). */
  readonly inputs: readonly string[];
}

/**
 * Builds the single-page app with Vite's programmatic API (no dev server) into `outDir`: hashed,
 * minified ES modules and CSS under `assets/`, and `index.html`. `config.json` is not part of the
 * build: whoever serves the app writes it (local/web, or the Web stack at deploy time).
 *
 * @example
 * ```ts
 * const { files } = await buildWebClient({ outDir: '/tmp/web' });
 * console.log(Object.keys(files)); // ['index.html', 'assets/index-….js', 'assets/index-….css', …]
 * ```
 */
export async function buildWebClient(options: {
  readonly outDir: string;
  /** Empty `outDir` first. False for a fresh folder holding files of its own (a cache's lease). @default true */
  readonly emptyOutDir?: boolean;
}): Promise<WebBuildResult> {
  // Loaded here, not at the top: a start whose cached build is still good never pays for Vite.
  const { build } = await import('vite');
  const inputs = new Set<string>([path.join(WEB_ROOT, 'index.html'), import.meta.filename]);
  const files: Record<string, number> = {};
  await build({
    root: WEB_ROOT,
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: 'warn',
    base: '/',
    build: {
      outDir: options.outDir,
      emptyOutDir: options.emptyOutDir ?? true,
      target: 'es2022',
      sourcemap: true,
      reportCompressedSize: false,
      // Chromium, Firefox and Safari all support modulepreload; no polyfill in the initial script.
      modulePreload: { polyfill: false },
    },
    plugins: [
      {
        name: 'quanta-build-inputs',
        load(id) {
          const file = id.split('?', 1)[0] ?? '';
          if (path.isAbsolute(file)) inputs.add(realpathOrSelf(file));
          return null;
        },
        generateBundle(_options, bundle) {
          for (const [name, output] of Object.entries(bundle)) {
            files[name] = output.type === 'chunk' ? Buffer.byteLength(output.code) : output.source.length;
          }
        },
      },
    ],
  });
  files['index.html'] ??= 0;
  return { files, inputs: [...inputs].sort() };
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = path.resolve(values.out ?? path.join(WEB_ROOT, 'dist'));
  const started = performance.now();
  const { files } = await buildWebClient({ outDir });
  console.log(
    `Built the web client into ${outDir} in ${Math.round(performance.now() - started)} ms (${Object.keys(files).length} files)`,
  );
}
