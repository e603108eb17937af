import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { withEsbuildService } from '../lambda/FunctionBundler';
import { ConsoleError } from './errors';

/** The files of the console's page, served from memory. */
export interface ConsolePageAssets {
  readonly html: string;
  readonly css: string;
  /** The page's script: `page/main.ts` and what it imports, bundled into one ES module. */
  readonly js: string;
}

const PAGE_DIR = path.join(import.meta.dirname, 'page');

/**
 * Reads and bundles the console's page (`local/console/page/`). The server calls it on the first
 * request for the page, never at start-up, so `npm start` pays nothing for a console nobody opens.
 * The build shares esbuild's service with the function bundler and stops it afterwards unless a
 * function build still runs ({@link withEsbuildService}), so it leaves no idle service behind.
 *
 * @example
 * ```ts
 * const { html, js } = await buildConsolePage();
 * ```
 */
export async function buildConsolePage(pageDir: string = PAGE_DIR): Promise<ConsolePageAssets> {
  const [result, html, css] = await Promise.all([
    withEsbuildService(() =>
      esbuild.build({
        entryPoints: [path.join(pageDir, 'main.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        platform: 'browser',
        legalComments: 'none',
        logLevel: 'silent',
      }),
    ),
    readFile(path.join(pageDir, 'index.html'), 'utf8'),
    readFile(path.join(pageDir, 'console.css'), 'utf8'),
  ]);
  const js = result.outputFiles[0]?.text;
  if (js === undefined) throw new ConsoleError('esbuild produced no output for the console page');
  return { html, css, js };
}
