import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledEntry } from '../start.mjs';

const root = path.resolve(import.meta.dirname, '../..');
// Inside the repository, so the project's npm packages resolve from it as they do for local/main.ts.
const project = path.join(root, 'node_modules', '.cache', `start-test-${randomUUID().slice(0, 8)}`);
const cacheDir = path.join(project, 'cache');
const entry = path.join(project, 'src', 'entry.ts');
const helper = path.join(project, 'src', 'lib', 'where.ts');

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

write(
  helper,
  `export const dirname: string = import.meta.dirname;
export const filename: string = import.meta.filename;
export const url: string = import.meta.url;
export const spelled = 'import.meta.url';
export const version = 1;
`,
);
write(
  entry,
  `import { z } from 'zod';
export { dirname, filename, url, spelled, version } from './lib/where';
export const parsed: string = z.string().parse('ok');
`,
);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('bundledEntry (npm start)', () => {
  it("bundles the entry with the project's sources, keeps npm packages external, and gives each source its own import.meta paths", async () => {
    const { file, cached } = await bundledEntry({ entry, cacheDir });
    const module = await import(pathToFileURL(file).href);

    expect(cached).toBe(false);
    expect(module.dirname).toBe(path.dirname(helper));
    expect(module.filename).toBe(helper);
    expect(module.url).toBe(pathToFileURL(helper).href);
    expect(module.spelled).toBe('import.meta.url');
    expect(module.parsed).toBe('ok');
    expect(readFileSync(file, 'utf8')).toMatch(/from "zod"/);
  });

  it('reuses the build while no source changed, and rebuilds when one did', async () => {
    const first = await bundledEntry({ entry, cacheDir });
    const again = await bundledEntry({ entry, cacheDir });
    write(helper, readFileSync(helper, 'utf8').replace('version = 1', 'version = 2'));
    const changed = await bundledEntry({ entry, cacheDir });

    expect(again).toEqual({ file: first.file, cached: true });
    expect(changed.cached).toBe(false);
    expect(changed.file).not.toBe(first.file);
    expect((await import(pathToFileURL(changed.file).href)).version).toBe(2);
  });

  it('rebuilds when a file is added beside an input (it could shadow an import), though no input changed', async () => {
    const before = await bundledEntry({ entry, cacheDir });
    // esbuild resolves `./lib/where` to where.js before where.ts.
    write(
      path.join(project, 'src', 'lib', 'where.js'),
      "export const dirname = '', filename = '', url = '', spelled = '', version = 3;\n",
    );

    const after = await bundledEntry({ entry, cacheDir });

    expect(after.cached).toBe(false);
    expect(after.file).not.toBe(before.file);
    expect((await import(pathToFileURL(after.file).href)).version).toBe(3);
  });

  it('lets concurrent starts build the same sources at once, each getting a whole bundle', async () => {
    rmSync(path.join(project, 'src', 'lib', 'where.js'), { force: true });
    write(helper, readFileSync(helper, 'utf8').replace(/version = \d+/, 'version = 4'));
    const script = `const { bundledEntry } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'local/start.mjs')).href)});
const built = await bundledEntry({ entry: process.argv[1], cacheDir: process.argv[2] });
const module = await import('file://' + built.file);
console.log(JSON.stringify({ file: built.file, version: module.version }));`;
    const run = () =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, entry, cacheDir]);

    const results = await Promise.all([run(), run(), run()]);

    const outcomes = results.map(({ stdout }) => JSON.parse(stdout) as { file: string; version: number });
    expect(outcomes.map((o) => o.version)).toEqual([4, 4, 4]);
    expect(new Set(outcomes.map((o) => o.file)).size).toBe(1);
  });
});
