import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isLoopback,
  type ListeningSocket,
  listeningSockets,
  processTreeOf,
  socketInodesOf,
} from '../../local/test/fixtures/listeningSockets';

/**
 * `npm start` (local/start.mjs, which runs local/main.ts from its bundle) as a developer runs it, on free ports: every socket its processes
 * listen on (the gateways, the event bus, fauxqs, the JVM of DynamoDB Local, the console, the web
 * client…) is bound to 127.0.0.1. Nobody on the developer's network can reach the local engines,
 * which hold card numbers in request messages and take no credentials. Local only: it reads the
 * kernel's socket table (Linux `/proc`), as `ss -ltnp` does. The same start also shows that it keeps
 * V8's compile cache beside its bundle (D69).
 */
const root = path.resolve(import.meta.dirname, '../..');
let cloud: ChildProcess;
/** The banner's `name: url` lines. */
const urls = new Map<string, string>();
const output: string[] = [];

beforeAll(async () => {
  cloud = spawn(
    process.execPath,
    [
      path.join(root, 'local/start.mjs'),
      ...['--port', '0', '--ws-port', '0', '--facade-port', '0', '--console-port', '0', '--web-port', '0'],
      '--quiet',
    ],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cloud.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: cloud.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    cloud.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before ready:\n${output.join('')}`)),
    );
    lines.on('line', (line) => {
      output.push(`${line}\n`);
      const named = /^\s{2}([A-Za-z][A-Za-z ]+):\s+(\S+:\/\/\S+)/.exec(line);
      if (named?.[1] !== undefined && named[2] !== undefined) urls.set(named[1].trim(), named[2]);
      if (line.startsWith('Press Ctrl-C')) resolve();
    });
  });
}, 180_000);

afterAll(async () => {
  if (cloud?.pid === undefined || cloud.exitCode !== null) return;
  const exited = new Promise((resolve) => cloud.once('exit', resolve));
  process.kill(-cloud.pid, 'SIGTERM');
  const kill = setTimeout(() => cloud.pid !== undefined && process.kill(-cloud.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(kill);
});

/** The listening sockets of `npm start` and every process it started. */
function cloudSockets(): ListeningSocket[] {
  const inodes = socketInodesOf(processTreeOf(cloud.pid as number));
  return listeningSockets().filter((s) => inodes.has(s.inode));
}

const portOf = (url: string): number => Number(new URL(url.replace(/^ws/, 'http')).port);

describe('npm start', () => {
  it('listens on 127.0.0.1 only, with every engine it announces', () => {
    const sockets = cloudSockets();
    const announced = ['HTTP API', 'WebSocket', 'Facades', 'EventBridge', 'SQS', 'DynamoDB'].map((name) => {
      const url = urls.get(name);
      if (url === undefined) throw new Error(`The banner names no ${name}:\n${output.join('')}`);
      return portOf(url);
    });

    expect(sockets.filter((s) => !isLoopback(s.address))).toEqual([]);
    expect(sockets.map((s) => s.address).every((a) => a === '127.0.0.1')).toBe(true);
    // Not vacuous: the announced engines' sockets (DynamoDB Local's JVM among them) are in the set.
    expect(sockets.map((s) => s.port)).toEqual(expect.arrayContaining(announced));
    expect(announced.every((port) => port > 0)).toBe(true);
  });

  it('keeps V8’s compile cache of what it loaded beside the bundle it ran (D69)', async () => {
    const cacheDir = path.join(root, 'node_modules', '.cache', 'quanta-local-cloud');
    const { key } = JSON.parse(readFileSync(path.join(cacheDir, 'latest.json'), 'utf8')) as { key: string };
    const compileCache = path.join(cacheDir, key, '.compile-cache');
    const entries = (): number => {
      try {
        return readdirSync(compileCache, { recursive: true }).length;
      } catch {
        return 0;
      }
    };

    // Written once the start settles, just after the banner.
    await expect.poll(entries, { timeout: 10_000 }).toBeGreaterThan(10);
  });
});
