/**
 * `npm run bench`: the numbers behind our speed claims, printed as JSON lines (one result a line).
 *
 * - local_cloud_startup: `npm start` (node local/start.mjs), medians of three second starts: from spawn
 *   to its ready line, and from spawn to the first 200 of a public route (a client asking from the
 *   spawn on; the answer includes its function's cold start); rss_idle_mb: resident memory of its
 *   whole process tree (node, workers, the JVM) once idle after that first request.
 * - local_cloud_idle: CPU of that tree over 20 s while nobody calls it, as a share of one core.
 * - http_get_me / http_bare_node / http_ratio: authenticated GET /identity/me through the local
 *   cloud's gateway + authorizer (cache on) at 32 concurrent clients, next to a bare node:http hello
 *   server measured in the same run on the same machine, in three rounds of one run each (D76):
 *   each field is the median of the rounds, `*_rounds` lists them, and rps_ratio is the median of
 *   the three paired ratios; cpu_ms_per_request: CPU of the cloud's whole process tree (from /proc)
 *   in the window per request; http_bare_node_threaded_client: the bare server loaded from worker
 *   threads, so the one-loop client is not its bottleneck.
 * - session_revocation: logout -> the same token refused (authorizer cache off), i.e. the outbox ->
 *   stream -> relay -> bus -> inbox -> denylist pipeline.
 * - authorizer_verify: access-token verifications per second (aws-jwt-verify, JWKS cached).
 * - saga_latency / orders_sustained / flash_sale: the commerce saga end to end (POST -> CONFIRMED
 *   p50/p99, orders/s sustained and CPU ms per order, 100 units vs 1,000 concurrent orders: wall
 *   time, outcome and the tree's peak RSS); orders_calls: calls per confirmed order by
 *   service.operation (DynamoDB, Streams, SQS, EventBridge, Lambda per function) on a cloud started
 *   with --meter-calls.
 * - websocket_connect / websocket_fanout / websocket_sustained: chat over the WebSocket API (ticket +
 *   handshake p50/p99; send -> last member's frame p50/p99 in rooms of 10, 100 and 500 connections,
 *   target p99 <= 1 s at 500; msgs/s in a 20-member room with 10 senders under the rate limit), and
 *   websocket_cloud_stderr: what the cloud logged meanwhile (nothing expected).
 * - aws_call_cost: CPU of one AWS SDK call against the local engines (DynamoDB GetItem, Query,
 *   PutItem, TransactWriteItems, a caught-up stream GetRecords, SQS SendMessage and receive + delete),
 *   in the caller and in the engine, from one warm process: the floor under each call an order makes
 *   (orders_calls); http_roundtrip is a bare node:http request on the same loopback, for scale.
 * - order_call_floor: those two rows together: each call per confirmed order times what one such
 *   call costs (caller + engine), summed: the least CPU the calls of one order take on this machine,
 *   next to orders_sustained's cpu_ms_per_order (floor_share = floor / measured); not_costed lists
 *   the calls per order no aws_call_cost row prices (function invocations, PutEvents, …), which add
 *   nothing to the floor.
 * - function_bundle: each function's deployed bundle (from `cdk synth`): bytes a cold start loads (the
 *   entry and its static chunks), package_bytes (every chunk), and its cold import time.
 * - web_client_initial_js / web_client_shop_tti: the web client's initial JavaScript (gzip) and the
 *   shop's time to interactive in headless Chromium (navigation start to the first "Buy" enabled).
 *
 * Memory fields named `_mb` are MiB (VmRSS in KiB / 1024), as ps and top count them: 1 GB in decimal
 * units is 954 of them.
 *
 * Environment: BENCH_DURATION_MS (default 10000), BENCH_CONCURRENCY (default 32).
 */
import path from 'node:path';
import { authorizerVerifications } from './authorizerVerifications';
import { awsCallCost } from './awsCallCost';
import { commerce } from './commerce';
import { functionBundles } from './functionBundles';
import { httpLatency } from './httpLatency';
import { emit } from './lib/emit';
import { orderCallFloor } from './lib/orderCallFloor';
import { round } from './lib/percentile';
import { sessionRevocation } from './sessionRevocation';
import { webClient } from './web';
import { webSocketChat } from './webSocketChat';

const root = path.resolve(import.meta.dirname, '..');
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

emit({ bench: 'environment', node: process.version, cpus: (await import('node:os')).availableParallelism() });
await httpLatency({ root, durationMs, concurrency });
await sessionRevocation({ root, samples: 10 });
await authorizerVerifications({ durationMs: 3000 });
const orders = await commerce({
  root,
  durationMs: Math.min(durationMs, 15_000),
  sagaSamples: 50,
  clients: 16,
});
const floor = orderCallFloor(orders.callsPerOrder, await awsCallCost({ calls: 3000, warmup: 1000 }));
emit({
  bench: 'order_call_floor',
  note: "orders_calls x aws_call_cost: the calls of one confirmed order at a warm process's price per call",
  floor_ms: round(floor.floorMs, 1),
  caller_ms: round(floor.callerMs, 1),
  engine_ms: round(floor.engineMs, 1),
  cpu_ms_per_order: round(orders.cpuMsPerOrder, 1),
  floor_share: round(floor.floorMs / orders.cpuMsPerOrder, 3),
  by_call: Object.fromEntries(Object.entries(floor.byCall).map(([call, ms]) => [call, round(ms, 2)])),
  not_costed: Object.fromEntries(Object.entries(floor.notCosted).map(([call, n]) => [call, round(n, 2)])),
});
await webSocketChat({ root, durationMs: Math.min(durationMs, 10_000) });
await functionBundles({ root });
await webClient({ root, samples: 10 });
