import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbLocalStartError } from '../errors';
import { loopbackLauncher } from '../loopbackLauncher';

describe('loopbackLauncher', () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'quanta-ddb-launcher-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('compiles the launcher once into its cache and reuses it', async () => {
    await loopbackLauncher({ cacheDir });
    const [folder] = readdirSync(cacheDir);
    const compiled = path.join(cacheDir, folder ?? '', 'LoopbackDynamoDbLocal.class');
    const first = statSync(compiled).mtimeMs;

    await loopbackLauncher({ cacheDir, javac: '/nonexistent/javac' });

    expect(readdirSync(cacheDir)).toEqual([folder]);
    expect(statSync(compiled).mtimeMs).toBe(first);
  });

  it('says that a JDK is needed when there is no javac, and never falls back to every interface', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'quanta-ddb-launcher-'));
    try {
      const launcher = loopbackLauncher({ cacheDir: empty, javac: '/nonexistent/javac' });

      await expect(launcher).rejects.toBeInstanceOf(DynamoDbLocalStartError);
      await expect(launcher).rejects.toThrow(/needs a JDK's javac \(17\+\).*Install a JDK/);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
