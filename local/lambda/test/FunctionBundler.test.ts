import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
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

describe('FunctionBundler with the cache', () => {
  const root = path.resolve(import.meta.dirname, '../../../.quanta/build', `test-cache-${randomUUID()}`);
  const src = path.join(root, 'src');
  const cacheDir = path.join(root, 'cache');
  const entry = path.join(src, 'entry.ts');
  const helper = path.join(src, 'helper.ts');
  /** Inputs written long enough ago that a build cannot have raced their edits. */
  const past = new Date(Date.now() - 60_000);

  async function write(file: string, text: string): Promise<void> {
    await writeFile(file, text);
    await utimes(file, past, past);
    await utimes(path.dirname(file), past, past);
  }

  /** A bundler over the cache that counts esbuild runs and stops of its service. */
  function countingBundler() {
    const counts = { builds: 0, stops: 0 };
    const bundler = new FunctionBundler({
      outDir: cacheDir,
      cache: true,
      build: ((options: esbuild.BuildOptions) => {
        counts.builds++;
        return esbuild.build(options);
      }) as typeof esbuild.build,
      stop: async () => {
        counts.stops++;
        await esbuild.stop();
      },
    });
    return { bundler, counts };
  }

  const requests = [{ id: 'fx.cached', entry }];

  beforeEach(async () => {
    await rm(root, { recursive: true, force: true });
    await mkdir(src, { recursive: true });
    await write(helper, "export const greeting = 'hello';\n");
    await write(
      entry,
      "import { greeting } from './helper';\nexport const handler = async () => greeting;\n",
    );
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reuses the build of an earlier run when no input changed, without running esbuild', async () => {
    // Arrange
    const first = countingBundler();
    const built = await first.bundler.bundle(requests);
    await built.release();

    // Act
    const second = countingBundler();
    const reused = await second.bundler.bundle(requests);

    // Assert
    expect([built.cached, reused.cached]).toEqual([false, true]);
    expect(second.counts.builds).toBe(0);
    expect(reused.bundles.get('fx.cached')).toBe(built.bundles.get('fx.cached'));
    expect(reused.sizes).toEqual(built.sizes);
    expect(await readFile(reused.bundles.get('fx.cached') ?? '', 'utf8')).toContain('"hello"');
    expect((await stat(reused.workerMainPath)).isFile()).toBe(true);
  });

  it('builds again when any input file changes, and reuses the first build once the change is undone', async () => {
    // Arrange
    const { bundler, counts } = countingBundler();
    const original = await bundler.bundle(requests);

    // Act
    await write(helper, "export const greeting = 'changed';\n");
    const changed = await bundler.bundle(requests);
    await write(helper, "export const greeting = 'hello';\n");
    const undone = await bundler.bundle(requests);

    // Assert
    expect(counts.builds).toBe(2);
    expect(changed.cached).toBe(false);
    expect(changed.bundles.get('fx.cached')).not.toBe(original.bundles.get('fx.cached'));
    expect(await readFile(changed.bundles.get('fx.cached') ?? '', 'utf8')).toContain('"changed"');
    expect(undone.cached).toBe(true);
    expect(undone.bundles.get('fx.cached')).toBe(original.bundles.get('fx.cached'));
  });

  it('builds again when a file appears next to an input, since it could shadow an import', async () => {
    // Arrange
    const { bundler, counts } = countingBundler();
    await bundler.bundle(requests);

    // Act
    await write(path.join(src, 'helper.mts'), "export const greeting = 'shadow';\n");
    const after = await bundler.bundle(requests);

    // Assert
    expect(after.cached).toBe(false);
    expect(counts.builds).toBe(2);
  });

  it('builds again when the options differ, e.g. minified', async () => {
    // Arrange
    await countingBundler().bundler.bundle(requests);
    let builds = 0;
    const minified = new FunctionBundler({
      outDir: cacheDir,
      cache: true,
      minify: true,
      build: ((options: esbuild.BuildOptions) => {
        builds++;
        return esbuild.build(options);
      }) as typeof esbuild.build,
    });

    // Act
    const out = await minified.bundle(requests);

    // Assert
    expect(out.cached).toBe(false);
    expect(builds).toBe(1);
  });

  it('does not cache a build whose input changed while esbuild ran', async () => {
    // Arrange: the helper is edited while esbuild reads it
    const racing = new FunctionBundler({
      outDir: cacheDir,
      cache: true,
      build: (async (options: esbuild.BuildOptions) => {
        const result = await esbuild.build(options);
        await writeFile(helper, "export const greeting = 'edited during the build';\n");
        return result;
      }) as typeof esbuild.build,
    });
    await racing.bundle(requests);

    // Act
    const { bundler, counts } = countingBundler();
    const next = await bundler.bundle(requests);

    // Assert
    expect(next.cached).toBe(false);
    expect(counts.builds).toBe(1);
    expect(await readFile(next.bundles.get('fx.cached') ?? '', 'utf8')).toContain('edited during the build');
  });

  it('stops esbuild after a build, and a later build restarts it cleanly', async () => {
    // Arrange
    const { bundler, counts } = countingBundler();

    // Act
    await bundler.bundle(requests);
    await write(helper, "export const greeting = 'after a stop';\n");
    const again = await bundler.bundle(requests);

    // Assert
    expect(counts).toEqual({ builds: 2, stops: 2 });
    expect(await readFile(again.bundles.get('fx.cached') ?? '', 'utf8')).toContain('"after a stop"');
  });

  it('keeps a build another live run still holds when pruning old ones', async () => {
    // Arrange: a held build, then more builds than the cache keeps
    const { bundler } = countingBundler();
    const held = await bundler.bundle(requests);
    for (let i = 0; i < 5; i++) {
      await write(helper, `export const greeting = 'version ${i}';\n`);
      await (await bundler.bundle(requests)).release();
    }

    // Act
    const stillThere = await stat(held.bundles.get('fx.cached') ?? '').then(
      () => true,
      () => false,
    );
    await held.release();

    // Assert
    expect(stillThere).toBe(true);
    const builds = (await readdir(cacheDir, { withFileTypes: true })).filter((e) => e.isDirectory());
    expect(builds.length).toBeLessThanOrEqual(5);
  });
});
