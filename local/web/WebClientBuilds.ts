import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildWebClient, WEB_ROOT } from '../../web/build';
import { BundleCache } from '../lambda/BundleCache';
import { WebClientBuildError } from './errors';

/** A built web client on disk, leased until {@link WebClientSite.release}. */
export interface WebClientSite {
  /** The folder to serve (`index.html`, `assets/…`). */
  readonly dir: string;
  /** Files and their sizes in bytes, relative to `dir`. */
  readonly files: Readonly<Record<string, number>>;
  /** True when an earlier build was reused (Vite did not run). */
  readonly cached: boolean;
  /** Time spent finding or building it. */
  readonly ms: number;
  /** Gives the folder back to the cache (it may be pruned afterwards). Idempotent. */
  release(): Promise<void>;
}

/**
 * The web client's builds for `npm start`, kept across starts by the local cloud's {@link BundleCache}
 * (decision D37): the key hashes Vite's version, the build definition and every file the build read
 * (the app, `@quanta/contracts`, zod) with their package files and lockfile. {@link lookup} only
 * stats and hashes those files (no Vite import), so a start whose web sources are unchanged serves
 * the previous build at once; otherwise {@link build} runs Vite, which `npm start` does in the
 * background after the API is ready.
 *
 * @example
 * ```ts
 * const builds = new WebClientBuilds({ dir: path.join(root, 'node_modules/.cache/quanta-web') });
 * const site = (await builds.lookup()) ?? (await builds.build());
 * console.log(site.dir, site.cached);
 * await site.release();
 * ```
 */
export class WebClientBuilds {
  readonly #cache: BundleCache;
  readonly #optionsKey: string;

  constructor(options: { readonly dir: string; readonly keep?: number }) {
    this.#cache = new BundleCache({ dir: options.dir, keep: options.keep ?? 2 });
    this.#optionsKey = `web-${createHash('sha256').update(`vite ${viteVersion()}\n`).digest('hex').slice(0, 16)}`;
  }

  /** The previous build when none of its inputs changed; undefined otherwise (or on a first start). */
  async lookup(): Promise<WebClientSite | undefined> {
    const started = performance.now();
    const hit = await this.#cache.lookup(this.#optionsKey);
    if (hit === undefined) return undefined;
    return {
      dir: hit.dir,
      files: hit.info.sizes,
      cached: true,
      ms: performance.now() - started,
      release: hit.release,
    };
  }

  /** Builds the web client with Vite and keeps the result for the next start. */
  async build(): Promise<WebClientSite> {
    const started = performance.now();
    const reservation = await this.#cache.reserve();
    let result: Awaited<ReturnType<typeof buildWebClient>>;
    try {
      result = await buildWebClient({ outDir: reservation.dir, emptyOutDir: false });
    } catch (error) {
      await this.#cache.discard(reservation);
      throw new WebClientBuildError(
        `The web client (${WEB_ROOT}) did not build: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const published = await this.#cache.publish(reservation, this.#optionsKey, result.inputs, {
      sizes: result.files,
    });
    return {
      dir: published.dir,
      files: result.files,
      cached: false,
      ms: performance.now() - started,
      release: published.release,
    };
  }
}

function viteVersion(): string {
  const require = createRequire(path.join(WEB_ROOT, 'package.json'));
  return (JSON.parse(readFileSync(require.resolve('vite/package.json'), 'utf8')) as { version: string })
    .version;
}
