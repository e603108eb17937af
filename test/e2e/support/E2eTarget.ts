import path from 'node:path';
import { inject } from 'vitest';
import type { InvokeListener } from '../../../local/http';
import { LocalCloud } from '../../../local/LocalCloud';
import { readRegistry } from '../../../local/readRegistry';
import { manifests } from '../../../quanta/manifests';
import '../../setup/ProvidedContext';

/** Where the end-to-end suite runs: the local cloud (default) or a deployment (LocalStack, AWS). */
export interface E2eTarget {
  readonly kind: 'local' | 'remote';
  /** Base URL of the platform's HTTP API. */
  readonly httpUrl: string;
  /** The authorizer's result-cache TTL in seconds on this target. */
  readonly authorizerCacheTtlSeconds: number;
  /** The local cloud, when `kind` is `local` (local-only tests need its keys and counters). */
  readonly cloud: LocalCloud | undefined;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * The target of this run. With `QUANTA_E2E_BASE_URL` set (see `npm run test:localstack`), the suite
 * talks to that deployment; otherwise it starts a private local cloud on the shared DynamoDB Local,
 * under a unique resource prefix so test files can run in parallel.
 *
 * @example
 * ```ts
 * const target = await startE2eTarget({ authorizerCacheTtlSeconds: 1 });
 * ```
 */
export async function startE2eTarget(
  options: { authorizerCacheTtlSeconds?: number; onInvoke?: InvokeListener } = {},
): Promise<E2eTarget> {
  const remote = process.env.QUANTA_E2E_BASE_URL;
  if (remote !== undefined && remote !== '') {
    return {
      kind: 'remote',
      httpUrl: remote.replace(/\/$/, ''),
      authorizerCacheTtlSeconds: Number(process.env.QUANTA_E2E_AUTHORIZER_TTL ?? 60),
      cloud: undefined,
      stop: async () => undefined,
    };
  }
  const ttl = options.authorizerCacheTtlSeconds ?? 60;
  const prefix = `e2e${Math.random().toString(36).slice(2, 8)}`;
  const registry = readRegistry(root, { 'quanta:prefix': prefix, 'quanta:authorizerCacheTtlSeconds': ttl });
  const logs: string[] = [];
  const cloud = await LocalCloud.start({
    manifests,
    registry,
    root,
    httpPort: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    // Function output is kept (not printed) so a green run stays quiet.
    functionLogs: (line) => {
      logs.push(`[${line.functionId}] ${line.line}`);
      if (logs.length > 2000) logs.shift();
    },
    log: (message) => logs.push(`[local-cloud] ${message}`),
    ttlSweepIntervalMs: 1000,
    ...(options.onInvoke === undefined ? {} : { onInvoke: options.onInvoke }),
  });
  return {
    kind: 'local',
    httpUrl: cloud.urls.http,
    authorizerCacheTtlSeconds: ttl,
    cloud,
    stop: () => cloud.stop(),
  };
}
