import path from 'node:path';
import { plan, type Registry, withCorsOrigins } from '@quanta/runtime/manifest';
import { inject } from 'vitest';
import type { InvokeListener } from '../../../local/http';
import type { LocalCloudOptions } from '../../../local/LocalCloud';
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
  /** The registry the local cloud runs with, when `kind` is `local`. */
  readonly registry: Registry | undefined;
  /** The local cloud's own reports (gateway 5xx reasons, failed deliveries), newest last; empty remotely. */
  readonly reports: readonly string[];
  /** The functions' latest 2,000 log lines (`[<function id>] <line>`), newest last; empty remotely. */
  readonly logs: readonly string[];
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Every test's traffic comes from 127.0.0.1, far more signups and logins than one real client
 * makes, so locally identity's per-source limits are lifted unless a test sets its own
 * (`identityLimits.local.test.ts` proves them with low ones). The per-account lock stays as deployed.
 */
const UNTHROTTLED_SOURCES: Readonly<Record<string, string>> = {
  LOGIN_ATTEMPTS_PER_IP: '1000000',
  SIGNUPS_PER_IP: '1000000',
};

function testEnvironment(
  given: E2eTargetOptions['environment'] = {},
): Readonly<Record<string, Readonly<Record<string, string>>>> {
  return { ...given, identity: { ...UNTHROTTLED_SOURCES, ...given.identity } };
}

/** Settings of a local target (a remote target is configured by its deployment). */
export interface E2eTargetOptions {
  /** Authorizer result-cache TTL. @default 60 */
  readonly authorizerCacheTtlSeconds?: number;
  /** Told about every invocation (local only). */
  readonly onInvoke?: InvokeListener;
  /** Per-quantum environment overrides (`quanta:environment`), e.g. a short order deadline. */
  readonly environment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Origins the HTTP API's CORS allows besides the local ones (a web client served on a free port). */
  readonly corsOrigins?: readonly string[];
  /** Further local-cloud options (e.g. a faster schedule). */
  readonly cloud?: Partial<Omit<LocalCloudOptions, 'plan' | 'root'>>;
  /**
   * A DynamoDB Local of the cloud's own instead of the run's shared one: for the heavy files, whose
   * time would otherwise depend on every table the files before them left in the shared engine (a
   * flash sale took 180 s early in a run and 360 s as its last file). @default false
   */
  readonly ownDynamoDb?: boolean;
}

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
export async function startE2eTarget(options: E2eTargetOptions = {}): Promise<E2eTarget> {
  const remote = process.env.QUANTA_E2E_BASE_URL;
  if (remote !== undefined && remote !== '') {
    return {
      kind: 'remote',
      httpUrl: remote.replace(/\/$/, ''),
      authorizerCacheTtlSeconds: Number(process.env.QUANTA_E2E_AUTHORIZER_TTL ?? 60),
      cloud: undefined,
      registry: undefined,
      reports: [],
      logs: [],
      stop: async () => undefined,
    };
  }
  const ttl = options.authorizerCacheTtlSeconds ?? 60;
  const prefix = `e2e${Math.random().toString(36).slice(2, 8)}`;
  const registry = withCorsOrigins(
    readRegistry(root, {
      'quanta:prefix': prefix,
      'quanta:authorizerCacheTtlSeconds': ttl,
      'quanta:environment': testEnvironment(options.environment),
    }),
    options.corsOrigins ?? [],
  );
  const logs: string[] = [];
  const reports: string[] = [];
  const cloud = await LocalCloud.start({
    plan: plan(manifests, registry),
    root,
    httpPort: 0,
    ...(options.ownDynamoDb === true ? {} : { dynamodbEndpoint: inject('dynamodbEndpoint') }),
    // Function output is kept (not printed) so a green run stays quiet.
    functionLogs: (line) => {
      logs.push(`[${line.functionId}] ${line.line}`);
      if (logs.length > 2000) logs.shift();
    },
    log: (message) => {
      reports.push(message);
      if (reports.length > 500) reports.shift();
    },
    ttlSweepIntervalMs: 1000,
    // Two clouds run side by side on 2 cores here, and several files time their waits for warm
    // functions. The budget's early retirement (D64) would turn those into cold starts at random;
    // it is covered by FunctionPool's tests and measured by the bench, not relied on here.
    maxLiveWorkers: 64,
    ...(options.onInvoke === undefined ? {} : { onInvoke: options.onInvoke }),
    ...options.cloud,
  });
  return {
    kind: 'local',
    httpUrl: cloud.urls.http,
    authorizerCacheTtlSeconds: ttl,
    cloud,
    registry,
    reports,
    logs,
    stop: () => cloud.stop(),
  };
}
