/**
 * `npm start`: runs every registered quantum on the local cloud until Ctrl-C. `npm start` runs it
 * from a bundle of the project's sources (local/start.mjs); `node --import tsx local/main.ts` runs
 * it from the sources.
 *
 * Options (flags or environment):
 *   --port <n>                      QUANTA_HTTP_PORT       HTTP API port (default 3000)
 *   --facade-port <n>               QUANTA_FACADE_PORT     facade gateway port (default 3002)
 *   --ws-port <n>                   QUANTA_WS_PORT         WebSocket API port (default 3001)
 *   --web-port <n>                  QUANTA_WEB_PORT        the web client's port (default 5173; 127.0.0.1 only)
 *   --schedule-every <s>            QUANTA_SCHEDULE_EVERY  run every schedule at this period (default: as declared)
 *   --authorizer-cache-ttl <s>      QUANTA_AUTHORIZER_TTL  authorizer result cache TTL (default: cdk.json, 60)
 *   --max-workers <n>               QUANTA_MAX_WORKERS     most workers per function (default: max(2, cores))
 *   --max-live-workers <n>          QUANTA_MAX_LIVE_WORKERS  workers alive across functions before idle ones
 *                                                          are retired after 5 s, not 60 s (default: 4 per core)
 *   --quiet                         QUANTA_QUIET=1         do not print function logs (dropped inside the workers)
 *   --meter-calls                   QUANTA_METER_CALLS=1   count calls to DynamoDB, SQS, EventBridge and Lambda by
 *                                                          operation; `GET /counts` on a loopback port in the banner
 *   --console-port <n>              QUANTA_CONSOLE_PORT    developer console port (default 3004)
 *   --no-console                    QUANTA_CONSOLE=0       no developer console, nothing recorded for it
 *   --environment <json>            QUANTA_ENVIRONMENT     per-quantum environment on top of `quanta:environment`,
 *                                                          e.g. '{"identity":{"SIGNUPS_PER_IP":"1000"}}'
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Registry } from '@quanta/runtime/manifest';
import { DynamoDbLocal } from './dynamodb/DynamoDbLocal';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'facade-port': { type: 'string' },
    'ws-port': { type: 'string' },
    'web-port': { type: 'string' },
    'schedule-every': { type: 'string' },
    'authorizer-cache-ttl': { type: 'string' },
    'max-workers': { type: 'string' },
    'max-live-workers': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'meter-calls': { type: 'boolean', default: false },
    'console-port': { type: 'string' },
    console: { type: 'boolean', default: true },
    environment: { type: 'string' },
  },
  allowNegative: true,
});
const portOption = (flag: string, given: string | undefined, fallback: number): number => {
  const value = Number(given ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`--${flag} must be an integer from 0 to 65535, got '${given}'`);
    process.exit(2);
  }
  return value;
};
const port = portOption('port', values.port ?? process.env.QUANTA_HTTP_PORT, 3000);
const facadePort = portOption('facade-port', values['facade-port'] ?? process.env.QUANTA_FACADE_PORT, 3002);
const webSocketPort = portOption('ws-port', values['ws-port'] ?? process.env.QUANTA_WS_PORT, 3001);
const webPort = portOption('web-port', values['web-port'] ?? process.env.QUANTA_WEB_PORT, 5173);
const scheduleEvery = values['schedule-every'] ?? process.env.QUANTA_SCHEDULE_EVERY;
const scheduleEverySeconds = scheduleEvery === undefined ? undefined : Number(scheduleEvery);
if (scheduleEverySeconds !== undefined && !(scheduleEverySeconds > 0)) {
  console.error(`--schedule-every must be a positive number of seconds, got '${scheduleEvery}'`);
  process.exit(2);
}
const consolePort = portOption(
  'console-port',
  values['console-port'] ?? process.env.QUANTA_CONSOLE_PORT,
  3004,
);
const consoleOn = values.console && process.env.QUANTA_CONSOLE !== '0';
const ttl = values['authorizer-cache-ttl'] ?? process.env.QUANTA_AUTHORIZER_TTL;
const quiet = values.quiet || process.env.QUANTA_QUIET === '1';
const meterCalls = values['meter-calls'] || process.env.QUANTA_METER_CALLS === '1';
/** A flag's positive integer, or undefined when not given; exits 2 on anything else. */
const positiveIntegerOption = (flag: string, given: string | undefined): number | undefined => {
  if (given === undefined) return undefined;
  const value = Number(given);
  if (!(Number.isInteger(value) && value >= 1)) {
    console.error(`--${flag} must be a positive integer, got '${given}'`);
    process.exit(2);
  }
  return value;
};
const maxWorkersPerFunction = positiveIntegerOption(
  'max-workers',
  values['max-workers'] ?? process.env.QUANTA_MAX_WORKERS,
);
const maxLiveWorkers = positiveIntegerOption(
  'max-live-workers',
  values['max-live-workers'] ?? process.env.QUANTA_MAX_LIVE_WORKERS,
);

const environmentGiven = values.environment ?? process.env.QUANTA_ENVIRONMENT;

// DynamoDB Local's JVM is the slowest part of a start (about 1.1 s to its first answer on 2 cores):
// it is spawned before the rest of the local cloud is loaded (0.3 s from the bundle, 0.9 s through
// tsx), and LocalCloud.start awaits it, reports its failure, and stops it (D63).
const dynamodbLocal = new DynamoDbLocal();
await dynamodbLocal.launch();
const [
  { plan, withCorsOrigins },
  { manifests },
  { LocalCloud },
  localCloudState,
  { readRegistry },
  webClient,
] = await Promise.all([
  import('@quanta/runtime/manifest'),
  import('../quanta/manifests'),
  import('./LocalCloud'),
  import('./localCloudState'),
  import('./readRegistry'),
  import('./web'),
]);
const { removeLocalCloudState, writeLocalCloudState } = localCloudState;
const { startWebClient, WebClientBuilds } = webClient;

// Composition root: plan() resolves the manifests once, exactly as bin/app.ts does for `cdk deploy`.
// The web client is another origin than the API, as in AWS: its port joins the API's CORS origins.
const overrides: Record<string, unknown> =
  ttl === undefined ? {} : { 'quanta:authorizerCacheTtlSeconds': ttl };
const fromCdkJson = readRegistry(root, overrides);
const registry = withCorsOrigins(
  environmentGiven === undefined ? fromCdkJson : withEnvironment(fromCdkJson, environmentGiven),
  [`http://127.0.0.1:${webPort}`, `http://localhost:${webPort}`],
);
const quanta = plan(manifests, registry);
// Only hashes the web sources (no Vite), alongside the cloud's start; a build, if needed, comes after.
const webBuilds = new WebClientBuilds({
  dir: path.join(root, 'node_modules', '.cache', 'quanta-web-client'),
});
const previousWebBuild = webBuilds.lookup();
const cloud = await LocalCloud.start({
  plan: quanta,
  dynamodbLocal,
  root,
  httpPort: port,
  facadePort,
  webSocketPort,
  ...(scheduleEverySeconds === undefined ? {} : { scheduleEverySeconds }),
  ...(maxWorkersPerFunction === undefined ? {} : { maxWorkersPerFunction }),
  ...(maxLiveWorkers === undefined ? {} : { maxLiveWorkers }),
  ...(quiet ? { functionLogs: 'discard' as const } : {}),
  ...(meterCalls ? { meterCalls: true } : {}),
  ...(consoleOn ? { console: { port: consolePort } } : {}),
});

// The web client: never holds up the ready line (a changed source is rebuilt in the background).
const web = await startWebClient({
  builds: webBuilds,
  previous: previousWebBuild,
  port: webPort,
  config: {
    apiUrl: cloud.urls.http,
    webSocketUrl: cloud.urls.webSocket,
    ...(cloud.urls.console === undefined ? {} : { consoleUrl: cloud.urls.console }),
  },
}).catch((error: unknown) => {
  console.error(`The web client is not served: ${(error as Error).message} (choose another --web-port)`);
  return undefined;
});

// The call meter's counts, for the benchmark (which runs this in a child process): GET /counts.
const meter = cloud.meter;
const countsServer =
  meter === undefined
    ? undefined
    : http.createServer((req, res) => {
        const found = req.method === 'GET' && req.url === '/counts';
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(found ? JSON.stringify(meter.counts()) : '{"message":"GET /counts"}');
      });
const countsUrl =
  countsServer === undefined
    ? undefined
    : await new Promise<string>((resolve) =>
        countsServer.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(countsServer.address() as AddressInfo).port}/counts`),
        ),
      );

const facades = cloud.facades.apis.map(
  (api) =>
    `    ${api.quantum.padEnd(12)}${cloud.facadeUrlOf(api.quantum)}  (${[...api.operations.keys()].join(', ')}; SigV4, callers' credentials only)`,
);
console.log(
  [
    // Since the process started (what the developer waited), not since LocalCloud.start.
    `Quanta local cloud ready in ${Math.round(performance.now())} ms (${cloud.timings.functions} functions, ${cloud.timings.bundlesCached ? 'bundles reused' : 'bundled'} in ${Math.round(cloud.timings.buildMs)} ms)`,
    `  quanta:       ${quanta.quanta.map((q) => q.name).join(', ')}`,
    `  HTTP API:     ${cloud.urls.http}`,
    ...(web === undefined
      ? []
      : [
          `  Web client:   ${web.url}${web.reused ? '' : '  (building; the page loads when the build is done)'}`,
        ]),
    ...(cloud.urls.console === undefined
      ? []
      : [`  Console:      ${cloud.urls.console}  (architecture, live activity, traces, dead letters, logs)`]),
    ...(quanta.platform.httpApi.jwksPath === undefined
      ? []
      : [`  JWKS:         ${cloud.urls.http}${quanta.platform.httpApi.jwksPath}`]),
    `  WebSocket:    ${cloud.urls.webSocket}  (connect with ?ticket=<POST /realtime/tickets>; @connections at ${cloud.urls.webSocketManagement})`,
    `  Facades:      ${cloud.urls.facade}/<quantum>/v1/ops/<Operation>`,
    ...facades,
    `  EventBridge:  ${cloud.urls.eventBridge}`,
    `  SQS:          ${cloud.urls.sqs}`,
    `  DynamoDB:     ${cloud.urls.dynamodb}`,
    ...(countsUrl === undefined
      ? []
      : [`  Call meter:   ${countsUrl}  (calls by service and operation, since start)`]),
    'Press Ctrl-C to stop.',
  ].join('\n'),
);
// Where this cloud is, for `npm run identity` (grant-role …) and other tools; removed at stop.
writeLocalCloudState(root, {
  pid: process.pid,
  prefix: quanta.prefix,
  http: cloud.urls.http,
  dynamodb: cloud.urls.dynamodb,
});

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud...`);
  const timer = setTimeout(() => {
    console.error('Stop took longer than 10 s; exiting anyway.');
    process.exit(1);
  }, 10_000);
  timer.unref();
  countsServer?.closeAllConnections();
  countsServer?.close();
  await web?.stop();
  removeLocalCloudState(root);
  await cloud.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

/**
 * The registry with `--environment`'s variables on top of `quanta:environment`, quantum by quantum,
 * validated by the registry's own schema like any `cdk.json` context; exits 2 on bad JSON or values.
 */
function withEnvironment(base: Registry, given: string): Registry {
  try {
    const extra: unknown = JSON.parse(given);
    const isObject = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    // Anything that is not an object of objects goes to the schema as given, which refuses it.
    let merged: unknown = extra;
    if (isObject(extra)) {
      merged = { ...base.environment };
      for (const [quantum, vars] of Object.entries(extra)) {
        (merged as Record<string, unknown>)[quantum] = isObject(vars)
          ? { ...base.environment[quantum], ...vars }
          : vars;
      }
    }
    return readRegistry(root, { ...overrides, 'quanta:environment': merged });
  } catch (error) {
    console.error(
      `--environment must be JSON like '{"identity":{"SIGNUPS_PER_IP":"1000"}}': ${(error as Error).message}`,
    );
    process.exit(2);
  }
}
