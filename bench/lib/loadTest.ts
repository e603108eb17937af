import http from 'node:http';
import { percentile, round } from './percentile';

/** One load run's parameters. */
export interface LoadTestOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Concurrent clients, each with its own keep-alive connection, one request in flight each. */
  readonly concurrency: number;
  /** Measured duration. */
  readonly durationMs: number;
  /** Unmeasured warm-up before it (fills caches, JIT, worker pools). */
  readonly warmupMs: number;
  /** Status every response must have to count as a success. @default 200 */
  readonly expectStatus?: number;
  /**
   * Load-generator threads. One thread (the default) is one event loop doing every client's HTTP
   * parsing, which tops out below what a bare node:http server answers; worker threads (eval'd
   * plain JS, each with its share of the clients) spread the client over cores. @default 1
   */
  readonly threads?: number;
  /** Called once when the warm-up ends and measuring starts (e.g. to read the server's CPU). */
  readonly onMeasureStart?: () => void;
}

/** Latency and throughput of one load run. */
export interface LoadTestResult {
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

/**
 * A closed-loop HTTP load generator: `concurrency` clients each send a request, wait for the whole
 * response, and send the next, for a bounded time. Runs in the benchmark process, never in the
 * server's, so the server under test has the machine's cores to itself apart from this loop.
 */
export async function loadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  if ((options.threads ?? 1) > 1) return loadTestThreads(options, options.threads ?? 1);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(options.url);
  const expected = options.expectStatus ?? 200;
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  const warmupEnds = Date.now() + options.warmupMs;
  const ends = warmupEnds + options.durationMs;

  const once = (): Promise<number> =>
    new Promise((resolve) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          agent,
          headers: options.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end();
    });

  const client = async (): Promise<void> => {
    for (;;) {
      const now = Date.now();
      if (now >= ends) return;
      if (!measuring && now >= warmupEnds) {
        measuring = true;
        options.onMeasureStart?.();
      }
      const started = performance.now();
      const status = await once();
      const elapsed = performance.now() - started;
      if (!measuring) continue;
      if (status === expected) latencies.push(elapsed);
      else errors++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  agent.destroy();
  const measuredMs = Math.min(options.durationMs, Date.now() - started - options.warmupMs);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: round((latencies.length / measuredMs) * 1000, 0),
    p50_ms: round(percentile(latencies, 50)),
    p90_ms: round(percentile(latencies, 90)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies.at(-1) ?? Number.NaN),
  };
}

/** The client loop of {@link loadTest} as plain JS for a worker thread; posts `{ latencies, errors }`. */
const WORKER = `
const http = require('node:http');
const { workerData, parentPort } = require('node:worker_threads');
const { url, headers, concurrency, warmupEnds, ends, expected } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
const latencies = [];
let errors = 0;
const once = () => new Promise((resolve) => {
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, headers },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', () => resolve(0));
  req.end();
});
const client = async () => {
  while (Date.now() < ends) {
    const measuring = Date.now() >= warmupEnds;
    const started = performance.now();
    const status = await once();
    const elapsed = performance.now() - started;
    if (!measuring) continue;
    if (status === expected) latencies.push(elapsed); else errors++;
  }
};
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(latencies), errors });
});
`;

async function loadTestThreads(options: LoadTestOptions, threads: number): Promise<LoadTestResult> {
  const { Worker } = await import('node:worker_threads');
  const started = Date.now();
  const warmupEnds = started + options.warmupMs;
  const ends = warmupEnds + options.durationMs;
  const measureStart = setTimeout(() => options.onMeasureStart?.(), options.warmupMs);
  const results = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const concurrency =
        Math.floor(options.concurrency / threads) + (i < options.concurrency % threads ? 1 : 0);
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: {
          url: options.url,
          headers: options.headers ?? {},
          concurrency,
          warmupEnds,
          ends,
          expected: options.expectStatus ?? 200,
        },
      });
      return new Promise<{ latencies: Float64Array; errors: number }>((resolve, reject) => {
        worker.once('message', (result) => {
          resolve(result);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  clearTimeout(measureStart);
  const measuredMs = Math.min(options.durationMs, Date.now() - started - options.warmupMs);
  const latencies = results.flatMap((r) => [...r.latencies]).sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    rps: round((latencies.length / measuredMs) * 1000, 0),
    p50_ms: round(percentile(latencies, 50)),
    p90_ms: round(percentile(latencies, 90)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies.at(-1) ?? Number.NaN),
  };
}
