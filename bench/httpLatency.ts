import { availableParallelism } from 'node:os';
import path from 'node:path';
import { findFreePort } from '../local/dynamodb';
import { ChildServer } from './lib/ChildServer';
import { emit } from './lib/emit';
import { type LoadTestResult, loadTest } from './lib/loadTest';
import { percentile, round } from './lib/percentile';
import { cpuWindow, treeRssMb } from './lib/processTree';

/**
 * Starts `npm start`'s entry point in a child process on a free port. With `--meter-calls` in
 * `extraArgs`, `countsUrl` is the call meter's `GET /counts` from the ready banner. With
 * `firstOkPath`, a client asks for that path from the spawn on (as a developer's browser would) and
 * `firstOkMs` is the time from spawn to its first 200.
 */
export async function startLocalCloudProcess(
  root: string,
  extraArgs: readonly string[] = [],
  options: { firstOkPath?: string } = {},
): Promise<{ server: ChildServer; url: string; countsUrl: string | undefined; firstOkMs?: number }> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const probe = new AbortController();
  const firstOk =
    options.firstOkPath === undefined ? undefined : firstOkAt(`${url}${options.firstOkPath}`, probe.signal);
  // A start that fails stops the probe, whose rejection is then the start's error, not its own.
  firstOk?.catch(() => {});
  const server = await ChildServer.start(
    // What `npm start` runs: Node 24 (the `node` devDependency) on local/start.mjs, in one process.
    path.join(root, 'node_modules', '.bin', 'node'),
    [
      'local/start.mjs',
      '--port',
      String(port),
      '--quiet',
      // Free ports for the rest, so a running `npm start` does not collide with the benchmark.
      '--ws-port',
      '0',
      '--facade-port',
      '0',
      '--web-port',
      '0',
      '--console-port',
      '0',
      // Every client of the benchmark is 127.0.0.1: identity's per-source limits would stop its signups.
      '--environment',
      JSON.stringify({ identity: { SIGNUPS_PER_IP: '1000000', LOGIN_ATTEMPTS_PER_IP: '1000000' } }),
      ...extraArgs,
    ],
    // The whole banner, so the lines after the first (the call meter's URL) are in.
    /ready in (\d+) ms[\s\S]*?Press Ctrl-C to stop\./,
    { cwd: root, timeoutMs: 60_000 },
  ).catch((error: unknown) => {
    probe.abort();
    throw error;
  });
  const countsUrl = server.ready[0].match(/Call meter:\s+(\S+)/)?.[1];
  if (firstOk === undefined) return { server, url, countsUrl };
  const timeout = setTimeout(() => probe.abort(), 30_000);
  try {
    return { server, url, countsUrl, firstOkMs: (await firstOk) - server.spawnedAt };
  } finally {
    clearTimeout(timeout);
  }
}

/** One round: GET /identity/me on the cloud (its tree's CPU in the window), then the bare server. */
interface PairedRound {
  readonly me: LoadTestResult & { readonly cpu_ms_per_request: number; readonly cpu_cores_busy: number };
  readonly bare: LoadTestResult;
}

async function pairedRound(
  cloudPid: number,
  load: {
    me: { url: string; headers: Record<string, string> };
    bare: { url: string };
    concurrency: number;
    durationMs: number;
  },
): Promise<PairedRound> {
  const { concurrency, durationMs } = load;
  let cpu: { endMs(): number } | undefined;
  const me = await loadTest({
    ...load.me,
    concurrency,
    durationMs,
    warmupMs: 2000,
    onMeasureStart: () => {
      cpu = cpuWindow(cloudPid);
    },
  });
  const cpuMs = cpu?.endMs() ?? Number.NaN;
  const bare = await loadTest({ ...load.bare, concurrency, durationMs, warmupMs: 1000 });
  return {
    me: {
      ...me,
      // CPU of the local cloud's whole process tree in the measured window, per completed request.
      cpu_ms_per_request: round(cpuMs / (me.requests + me.errors), 3),
      cpu_cores_busy: round(cpuMs / durationMs, 2),
    },
    bare,
  };
}

/** Field by field, the median of several results of the same shape. */
function medianOf<T extends { readonly [K in keyof T]: number }>(results: readonly T[]): T {
  const first = results[0];
  if (first === undefined) throw new Error('no results');
  const keys = Object.keys(first) as Array<keyof T>;
  return Object.fromEntries(keys.map((key) => [key, median(results.map((r) => r[key]))])) as T;
}

function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/**
 * `performance.now()` at the first 200 for GET `url`, asked again 5 ms after each refused connection
 * or other status (a request sent while the cloud starts may be held until its functions run).
 */
async function firstOkAt(url: string, signal: AbortSignal): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(url, { signal });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now();
    } catch (error) {
      if (signal.aborted) throw new Error(`no 200 from ${url} within 30 s of ready`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Signs up and logs in a fresh user; returns its access token. */
export async function accessTokenFor(url: string, name: string): Promise<{ accessToken: string }> {
  const email = `${name}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = 'correct horse battery staple';
  const signup = await fetch(`${url}/identity/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: name }),
  });
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`);
  const login = await fetch(`${url}/identity/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  return (await login.json()) as { accessToken: string };
}

const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end('{"hello":"world"}');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGINT', () => server.close(() => process.exit(0)));
`;

/**
 * What a running local cloud costs while nobody calls it: the CPU of its whole process tree over
 * 20 s, from 10 s after it started (stream pollers past their idle threshold, D66), as a share of
 * one core.
 */
async function idleCpu(pid: number): Promise<void> {
  const windowMs = 20_000;
  await new Promise((resolve) => setTimeout(resolve, 9_000));
  const cpu = cpuWindow(pid);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const cpuMs = cpu.endMs();
  emit({
    bench: 'local_cloud_idle',
    window_ms: windowMs,
    cpu_ms: round(cpuMs, 0),
    cpu_pct_of_one_core: round((cpuMs / windowMs) * 100, 1),
  });
}

/**
 * Paired rounds of `/identity/me` and bare node:http (D76): a ratio from one pair moved by 40 %
 * between runs of the same code on this host; the median of three pairs, as the issue measured it.
 */
const ROUNDS = 3;

/** Second starts measured for `local_cloud_startup`. */
const STARTS = 3;
/** The route whose first 200 ends a start: public, and answered by identity's `api` function. */
const FIRST_OK_PATH = '/identity/.well-known/jwks.json';

/**
 * Start-up time of the local cloud, then authenticated GET /identity/me under load next to a bare
 * node:http server, each in its own process, measured by the same client in the same run: in
 * {@link ROUNDS} rounds of one run each, so each ratio pairs two runs made seconds apart.
 */
export async function httpLatency(options: {
  root: string;
  durationMs: number;
  concurrency: number;
}): Promise<void> {
  // An unmeasured start first (it builds the bundles and the JVM's class archive if this clone has
  // none yet), then three second starts; the last one stays up for the rest. First 200: a public
  // route served by a function (its cold start included).
  const readyMs: number[] = [];
  const firstOkMs: number[] = [];
  const selfReportedMs: number[] = [];
  let started: Awaited<ReturnType<typeof startLocalCloudProcess>> | undefined;
  for (let run = 0; run <= STARTS; run++) {
    if (started !== undefined) await started.server.stop();
    started = await startLocalCloudProcess(options.root, [], { firstOkPath: FIRST_OK_PATH });
    if (run === 0) continue;
    readyMs.push(started.server.readyMs);
    firstOkMs.push(started.firstOkMs ?? Number.NaN);
    selfReportedMs.push(Number(started.server.ready[1]));
  }
  if (started === undefined) throw new Error('no start');
  const { server, url } = started;
  try {
    // Idle memory: the whole tree (the cloud's node with its workers, DynamoDB Local's JVM) once settled.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    emit({
      bench: 'local_cloud_startup',
      starts: STARTS,
      // Medians; each start's figures follow.
      spawn_to_ready_ms: round(median(readyMs), 0),
      spawn_to_first_200_ms: round(median(firstOkMs), 0),
      first_200_path: FIRST_OK_PATH,
      // The banner's own figure: from the process's start (after Node.js boots) to ready.
      self_reported_ms: round(median(selfReportedMs), 0),
      ready_samples_ms: readyMs.map((ms) => round(ms, 0)),
      first_200_samples_ms: firstOkMs.map((ms) => round(ms, 0)),
      rss_idle_mb: round(treeRssMb(server.pid), 0),
    });
    await idleCpu(server.pid);
    const { accessToken } = await accessTokenFor(url, 'bench');
    const port = await findFreePort();
    const bare = await ChildServer.start(process.execPath, ['-e', BARE_SERVER], /listening/, {
      cwd: options.root,
      env: { ...process.env, PORT: String(port) },
    });
    try {
      const load = {
        me: { url: `${url}/identity/me`, headers: { authorization: `Bearer ${accessToken}` } },
        bare: { url: `http://127.0.0.1:${port}/` },
        concurrency: options.concurrency,
        durationMs: options.durationMs,
      };
      const rounds: PairedRound[] = [];
      for (let round = 0; round < ROUNDS; round++) rounds.push(await pairedRound(server.pid, load));
      const me = medianOf(rounds.map((r) => r.me));
      const baseline = medianOf(rounds.map((r) => r.bare));
      emit({
        bench: 'http_get_me',
        concurrency: options.concurrency,
        duration_ms: options.durationMs,
        rounds: ROUNDS,
        // Medians of the rounds, each field on its own; every round's figures follow.
        ...me,
        rps_rounds: rounds.map((r) => r.me.rps),
        cpu_ms_per_request_rounds: rounds.map((r) => r.me.cpu_ms_per_request),
      });
      emit({
        bench: 'http_bare_node',
        concurrency: options.concurrency,
        duration_ms: options.durationMs,
        rounds: ROUNDS,
        ...baseline,
        rps_rounds: rounds.map((r) => r.bare.rps),
      });
      // The same path without the authorizer and without DynamoDB Local: the gateway + worker cost alone.
      const publicRoute = await loadTest({
        url: `${url}/identity/.well-known/jwks.json`,
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: 1000,
      });
      emit({
        bench: 'http_get_jwks_public',
        concurrency: options.concurrency,
        duration_ms: options.durationMs,
        ...publicRoute,
      });
      // The same clients spread over worker threads: the single-loop client above may be the
      // bottleneck against a bare server (it parses every response on one core), so this is the
      // bare server's throughput with the client out of the way as far as the machine allows.
      const threads = Math.max(2, availableParallelism());
      const saturated = await loadTest({
        ...load.bare,
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: 1000,
        threads,
      });
      emit({
        bench: 'http_bare_node_threaded_client',
        concurrency: options.concurrency,
        client_threads: threads,
        duration_ms: options.durationMs,
        ...saturated,
      });
      const ratios = rounds.map((r) => r.me.rps / r.bare.rps);
      emit({
        bench: 'http_ratio',
        note: 'quanta GET /identity/me vs bare node:http, same client; median of the rounds, each round paired',
        rps_ratio: round(median(ratios), 4),
        rps_ratio_rounds: ratios.map((ratio) => round(ratio, 4)),
        p50_ratio: round(median(rounds.map((r) => r.me.p50_ms / r.bare.p50_ms)), 2),
        p99_ratio: round(median(rounds.map((r) => r.me.p99_ms / r.bare.p99_ms)), 2),
        rps_ratio_vs_threaded_client: round(me.rps / saturated.rps, 4),
        bare_rps_single_client: baseline.rps,
        bare_rps_threaded_client: saturated.rps,
      });
      emit({
        bench: 'http_ratio_public',
        note: 'quanta GET /identity/.well-known/jwks.json (no authorizer, no DynamoDB) vs bare node:http',
        rps_ratio: round(publicRoute.rps / baseline.rps, 3),
        p50_ratio: round(publicRoute.p50_ms / baseline.p50_ms, 2),
      });
    } finally {
      await bare.stop();
    }
  } finally {
    const stopMs = await server.stop();
    emit({ bench: 'local_cloud_shutdown', sigint_to_exit_ms: round(stopMs, 0) });
  }
}
