import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_JVM_OPTIONS, DynamoDbLocal } from '../DynamoDbLocal';
import { DynamoDbLocalStartError } from '../errors';
import { findFreePort } from '../findFreePort';
import { loopbackLauncher } from '../loopbackLauncher';

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
    const runOnce = async () => {
      const child = spawnDynamoDb({ port: await findFreePort(), sharedDb: true, stdio: 'pipe' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Port:')) resolve();
        });
        child.once('exit', () => reject(new Error(`DynamoDB Local exited early:\n${output}`)));
      });
      child.kill('SIGTERM');
      await exited;
      return child.spawnargs;
    };

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
    const dynamodb = new DynamoDbLocal({
      jvmOptions: [...DEFAULT_JVM_OPTIONS, `-Dorg.sqlite.tmpdir=${scratch}`],
    });
    try {
      const { endpoint } = await dynamodb.start();
      const client = new DynamoDBClient({
        endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });

      // Act: a request that reads SQLite, and a look at the folder while the JVM still runs
      const tables = await client.send(new ListTablesCommand({}));
      client.destroy();
      const copied = readdirSync(scratch);

      // Assert
      expect(tables.TableNames).toEqual([]);
      expect(copied).toEqual([]);
    } finally {
      await dynamodb.stop();
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
