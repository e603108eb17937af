import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbLocalStartError } from '../errors';
import { findFreePort } from '../findFreePort';
import { loopbackLauncher, type SpawnDynamoDbLocal } from '../loopbackLauncher';

/**
 * Starts DynamoDB Local with `spawnDynamoDb`, runs `whileUp` against its port once it listens, then
 * stops it with SIGTERM and waits for its exit.
 */
async function runUntilReady(
  spawnDynamoDb: SpawnDynamoDbLocal,
  whileUp: (port: number) => Promise<void> = async () => {},
): Promise<ChildProcess> {
  const port = await findFreePort();
  const child = spawnDynamoDb({ port, sharedDb: true, stdio: 'pipe' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Port:')) resolve();
      });
      child.once('exit', () => reject(new Error(`DynamoDB Local exited early:\n${output}`)));
    });
    await whileUp(port);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return child;
}

/** `request()`, tried again every 20 ms while the server refuses connections (it prints its port first). */
async function untilConnected<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      if (!refused || attempt === 500) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('loopbackLauncher', () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'quanta-ddb-launcher-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('compiles the launcher once into its cache and reuses it', async () => {
    await loopbackLauncher({ cacheDir });
    const [folder] = readdirSync(cacheDir);
    const compiled = path.join(cacheDir, folder ?? '', 'dynamodb-local.jar');
    const first = statSync(compiled).mtimeMs;

    await loopbackLauncher({ cacheDir, javac: '/nonexistent/javac' });

    expect(readdirSync(cacheDir)).toEqual([folder]);
    expect(statSync(compiled).mtimeMs).toBe(first);
  });

  it('keeps the class-data archive the first JVM writes at its exit, and maps it in the next', async () => {
    const spawnDynamoDb = await loopbackLauncher({ cacheDir });
    const [folder = ''] = readdirSync(cacheDir);
    const runOnce = async () => (await runUntilReady(spawnDynamoDb)).spawnargs;

    const first = await runOnce();
    const second = await runOnce();

    expect(first.some((arg) => arg.startsWith('-XX:ArchiveClassesAtExit='))).toBe(true);
    expect(readdirSync(path.join(cacheDir, folder)).filter((f) => f.startsWith('classes.jsa'))).toEqual([
      'classes.jsa',
    ]);
    expect(second).toContain(`-XX:SharedArchiveFile=${path.join(cacheDir, folder, 'classes.jsa')}`);
  }, 60_000);

  it('loads SQLite from the library its release ships, without copying it to a temp folder', async () => {
    // Arrange: DynamoDB Local's loader copies the library into org.sqlite.tmpdir when it is not told where it is
    const scratch = mkdtempSync(path.join(tmpdir(), 'quanta-ddb-sqlite-'));
    try {
      const spawnDynamoDb = await loopbackLauncher({
        cacheDir,
        jvmOptions: [`-Dorg.sqlite.tmpdir=${scratch}`],
      });
      let status = 0;
      let copied: string[] = [];

      // Act: a request that reads SQLite, and a look at the folder while the JVM still runs
      await runUntilReady(spawnDynamoDb, async (port) => {
        const response = await untilConnected(() =>
          fetch(`http://127.0.0.1:${port}/`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': 'DynamoDB_20120810.ListTables',
              authorization:
                'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
            },
            body: '{}',
          }),
        );
        status = response.status;
        copied = readdirSync(scratch);
      });

      // Assert
      expect(status).toBe(200);
      expect(copied).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);

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
