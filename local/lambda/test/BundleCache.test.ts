import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BundleCache } from '../BundleCache';

const root = path.resolve(import.meta.dirname, '../../../.quanta/build', `test-bundle-cache-${randomUUID()}`);
const src = path.join(root, 'src');
const input = path.join(src, 'input.ts');
const OPTIONS = 'options-key';
/** Every stamp is trusted at once, so a test need not wait out the racy window. */
const cache = (): BundleCache => new BundleCache({ dir: path.join(root, 'cache'), racyWindowMs: 0 });

/**
 * Waits until the clock has passed the newest modification time under `src`. A build reserved in
 * the same millisecond as an edit is rightly left uncached (the edit may or may not have been
 * read), and on kernels with fine-grained timestamps an mtime can fall inside `Date.now()`'s
 * current millisecond; `racyWindowMs: 0` removes the grace period, not that tie.
 */
async function settle(): Promise<void> {
  const entries = [src, ...(await readdir(src)).map((name) => path.join(src, name))];
  const newest = Math.max(...(await Promise.all(entries.map(async (entry) => (await stat(entry)).mtimeMs))));
  while (Date.now() <= newest) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Stands in for esbuild: reserves a folder, writes one output, publishes it with `inputs`. */
async function build(bundles: BundleCache, inputs: readonly string[] = [input]) {
  await settle();
  const reservation = await bundles.reserve();
  await writeFile(path.join(reservation.dir, 'out.mjs'), 'export {};\n');
  return bundles.publish(reservation, OPTIONS, inputs, { sizes: { 'fx.one': 10 } });
}

describe('BundleCache', () => {
  beforeEach(async () => {
    await rm(root, { recursive: true, force: true });
    await mkdir(src, { recursive: true });
    await writeFile(input, 'hello');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds the build of unchanged inputs, with the info it was published with', async () => {
    // Arrange
    const built = await build(cache());

    // Act
    const found = await cache().lookup(OPTIONS);

    // Assert
    expect(found?.dir).toBe(built.dir);
    expect(found?.info).toEqual({ sizes: { 'fx.one': 10 } });
  });

  it('misses after an edit that keeps the size and puts the modification time back', async () => {
    // Arrange: a whole-millisecond mtime, which utimes can set back exactly
    const past = new Date(Date.now() - 60_000);
    await utimes(input, past, past);
    await build(cache());
    const before = await stat(input);

    // Act: same length, same mtime; only ctime (which no tool can set back) moves
    await writeFile(input, 'jello');
    await utimes(input, past, past);
    const found = await cache().lookup(OPTIONS);

    // Assert
    expect((await stat(input)).mtimeMs).toBe(before.mtimeMs);
    expect(found).toBeUndefined();
  });

  it('misses for options it never built', async () => {
    // Arrange
    await build(cache());

    // Act / Assert
    expect(await cache().lookup('other-options')).toBeUndefined();
  });

  it('misses when the nearest package.json of an input changes', async () => {
    // Arrange
    const manifest = path.join(src, 'package.json');
    await writeFile(manifest, '{"type":"module"}');
    await build(cache());

    // Act
    await writeFile(manifest, '{"type":"commonjs"}');

    // Assert
    expect(await cache().lookup(OPTIONS)).toBeUndefined();
  });

  it('does not cache a build whose input was modified after the build started', async () => {
    // Arrange
    const bundles = new BundleCache({ dir: path.join(root, 'cache'), racyWindowMs: 2_000 });
    const reservation = await bundles.reserve();

    // Act
    await writeFile(input, 'edited while esbuild ran');
    const built = await bundles.publish(reservation, OPTIONS, [input], { sizes: {} });

    // Assert
    expect(path.basename(built.dir)).toMatch(/^uncached-/);
    expect(await bundles.lookup(OPTIONS)).toBeUndefined();
  });

  it('prunes builds nobody holds beyond the most recent, and keeps the held ones', async () => {
    // Arrange
    const bundles = new BundleCache({ dir: path.join(root, 'cache'), keep: 1, racyWindowMs: 0 });
    const held = await build(bundles);
    const released = [];
    for (const text of ['one', 'two', 'three']) {
      await writeFile(input, text);
      released.push(await build(bundles));
      await released.at(-1)?.release();
    }

    // Act
    await writeFile(input, 'four');
    const current = await build(bundles);

    // Assert: current, the most recent released one, and the held one
    const left = (await readdir(path.join(root, 'cache'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(root, 'cache', entry.name))
      .sort();
    expect(left).toEqual([current.dir, released.at(-1)?.dir, held.dir].sort());
  });
});
