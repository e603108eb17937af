import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from '@quanta/contracts/zod';

/** What a running `npm start` tells the repository's tools (`npm run identity`): where it is. */
const localCloudStateSchema = z.object({
  /** The `npm start` process; the state is stale once it is gone. */
  pid: z.number().check(z.int(), z.positive()),
  /** The registry's resource-name prefix it runs under. */
  prefix: z.string(),
  /** Its HTTP API. */
  http: z.string(),
  /** Its DynamoDB Local endpoint (a free port, different at each start). */
  dynamodb: z.string(),
});
export type LocalCloudState = z.infer<typeof localCloudStateSchema>;

/** `.quanta/local-cloud.json` under the repository root (ignored by git). */
function stateFileOf(root: string): string {
  return path.join(root, '.quanta', 'local-cloud.json');
}

/**
 * Records where the running local cloud is, for the tools; {@link removeLocalCloudState} at stop.
 *
 * @example
 * ```ts
 * writeLocalCloudState(root, { pid: process.pid, prefix: plan.prefix, http: cloud.urls.http, dynamodb: cloud.urls.dynamodb });
 * ```
 */
export function writeLocalCloudState(root: string, state: LocalCloudState): void {
  mkdirSync(path.dirname(stateFileOf(root)), { recursive: true });
  writeFileSync(stateFileOf(root), `${JSON.stringify(state, null, 2)}\n`);
}

/** Forgets the state, if it is this process's (another `npm start` may have replaced it). */
export function removeLocalCloudState(root: string, pid: number = process.pid): void {
  if (readLocalCloudState(root, () => true)?.pid === pid) rmSync(stateFileOf(root), { force: true });
}

/**
 * The running local cloud's state, or `undefined` when none runs (no file, an unreadable one, or one
 * left by a process that is gone).
 *
 * @example
 * ```ts
 * const endpoint = readLocalCloudState(root)?.dynamodb; // 'http://127.0.0.1:41873'
 * ```
 */
export function readLocalCloudState(
  root: string,
  isRunning: (pid: number) => boolean = processExists,
): LocalCloudState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFileOf(root), 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = localCloudStateSchema.safeParse(json);
  return parsed.success && isRunning(parsed.data.pid) ? parsed.data : undefined;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
