import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionBuildError, FunctionDefinitionError } from '../errors';
import { FunctionBundler } from '../FunctionBundler';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const outDir = path.resolve(import.meta.dirname, '../../../.quanta/build', `test-bundler-${randomUUID()}`);

describe('FunctionBundler', () => {
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('bundles every function and the worker bootstrap in a single esbuild call', async () => {
    let calls = 0;
    const bundler = new FunctionBundler({
      outDir,
      build: ((options: esbuild.BuildOptions) => {
        calls++;
        return esbuild.build(options);
      }) as typeof esbuild.build,
    });

    const out = await bundler.bundle([
      { id: 'fx.one', entry: path.join(fixtures, 'behaviours.ts') },
      { id: 'fx.two', entry: path.join(fixtures, 'noHandler.ts') },
    ]);

    expect(calls).toBe(1);
    expect(out.bundles.get('fx.one')).toBe(path.join(outDir, 'fx.one', 'index.mjs'));
    expect(out.bundles.get('fx.two')).toBe(path.join(outDir, 'fx.two', 'index.mjs'));
    expect((await stat(out.workerMainPath)).isFile()).toBe(true);
    // With shared chunks, a function's size counts its entry and every chunk it loads.
    expect(out.sizes.get('fx.one')).toBeGreaterThanOrEqual(
      (await stat(path.join(outDir, 'fx.one', 'index.mjs'))).size,
    );
    expect(out.durationMs).toBeGreaterThan(0);
  });

  it('emits ESM with a createRequire banner and a linked source map, like NodejsFunction', async () => {
    const bundler = new FunctionBundler({ outDir });

    const out = await bundler.bundle([{ id: 'fx.esm', entry: path.join(fixtures, 'behaviours.ts') }]);

    const code = await readFile(out.bundles.get('fx.esm') ?? '', 'utf8');
    expect(code.startsWith("import { createRequire as __quantaCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(code).toMatch(/export\s*\{[^}]*handler/);
    expect(code).toContain('//# sourceMappingURL=index.mjs.map');
    expect((await stat(`${out.bundles.get('fx.esm')}.map`)).isFile()).toBe(true);
  });

  it('fails with the file and line of each esbuild error', async () => {
    const brokenDir = path.join(outDir, 'src');
    await mkdir(brokenDir, { recursive: true });
    const broken = path.join(brokenDir, 'broken.ts');
    await writeFile(broken, 'export const handler = async () => {\n  return (;\n};\n');
    const bundler = new FunctionBundler({ outDir });

    const failure = bundler.bundle([{ id: 'fx.broken', entry: broken }]);

    await expect(failure).rejects.toBeInstanceOf(FunctionBuildError);
    await expect(failure).rejects.toThrow(/broken\.ts:2:\d+/);
  });

  it('refuses a function id that cannot name an output folder', async () => {
    const bundler = new FunctionBundler({ outDir });

    await expect(
      bundler.bundle([{ id: '../escape', entry: path.join(fixtures, 'noHandler.ts') }]),
    ).rejects.toBeInstanceOf(FunctionDefinitionError);
  });
});
