import type { JsonWebKey } from 'node:crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QuantaPlan } from '@quanta/runtime/manifest';
import { withoutSdkCallLogging } from '@quanta/runtime/observability/sdk';
import { allSettledOrThrow } from './allSettledOrThrow';
import { DeveloperConsole, fauxqsPeek } from './console';
import { DynamoDbLocal, ensureTable, StreamPoller, TtlSweeper } from './dynamodb';
import { LocalCloudError } from './errors';
import { compilePattern, EventArchive, LocalEventBus, SqsQueueSender } from './eventbridge';
import { FacadeGateway, LocalPrincipals } from './facade';
import { FaultInjector } from './faults';
import { generateSigningKeys } from './generateSigningKeys';
import type { InvokeListener } from './http';
import { HttpGateway, ObservedInvoker } from './http';
import type { FunctionOutput, LocalCredentials } from './lambda';
import { DeferredInvoker, FunctionBundler, LambdaRuntime, prefixedConsoleSink } from './lambda';
import { CallMeter } from './metering';
import {
  bundleRequestsOf,
  eventRulesOf,
  facadeApisOf,
  localFunctionsOf,
  queueBindingsOf,
  queueSpecsOf,
  routesOf,
  schedulesOf,
  streamBindingsOf,
  tableSpecsOf,
  tablesWrittenBy,
} from './planWiring';
import { LocalScheduler } from './schedules';
import type { ProvisionedQueue } from './sqs';
import { ensureQueue, SqsEventSourceMapping, SqsLocal } from './sqs';
import { WebSocketGateway } from './websocket';

/** How to start a local cloud. */
export interface LocalCloudOptions {
  /** The plan (`plan(manifests, registry)`): every registered quantum, resolved once, as `cdk deploy` renders it. */
  readonly plan: QuantaPlan;
  /** HTTP API port. @default 0 (a free port; `npm start` uses 3000) */
  readonly httpPort?: number;
  /**
   * Port of the facade gateway, which serves every facade REST API at `/<quantum>/v1`.
   * @default 0 (a free port; `npm start` uses 3002)
   */
  readonly facadePort?: number;
  /** Port of the WebSocket API gateway (`ws://host:port`, `@connections` at `/live`). @default 0 (`npm start` uses 3001) */
  readonly webSocketPort?: number;
  /** WebSocket idle timeout and maximum connection duration, in ms (AWS: 10 min, 2 h), for tests. @default as AWS */
  readonly webSocketLimits?: { readonly idleTimeoutMs?: number; readonly maxConnectionMs?: number };
  /** Interface every server binds. @default '127.0.0.1' */
  readonly host?: string;
  /** Use this DynamoDB endpoint instead of starting DynamoDB Local (tests share one). @default start one */
  readonly dynamodbEndpoint?: string;
  /**
   * The DynamoDB Local to run on, which the cloud starts (or awaits, if its start is under way) and
   * stops with itself: `npm start` launches the JVM, the slowest part of a start, before it loads the
   * rest. Ignored with `dynamodbEndpoint`. @default a new one
   */
  readonly dynamodbLocal?: DynamoDbLocal;
  /**
   * Repository root: bundles go to `<root>/node_modules/.cache/quanta-local-bundles/<key>/` (inside the
   * repo, so externals resolve), or to `<root>/.quanta/build/<run>/` without `bundleCache`.
   */
  readonly root: string;
  /**
   * Reuse the bundles of an earlier start when no input changed (esbuild does not run at all), and
   * keep them for the next. @default true
   */
  readonly bundleCache?: boolean;
  /**
   * Where function output goes; `'discard'` drops it inside the workers (`--quiet`).
   * @default each line on stdout/stderr prefixed with the function id
   */
  readonly functionLogs?: FunctionOutput;
  /**
   * The most workers one function runs at once (a lower reserved concurrency wins); the excess queues.
   * @default max(2, the machine's cores)
   */
  readonly maxWorkersPerFunction?: number;
  /** How long a worker may stay idle before it is retired, as Lambda reclaims idle environments. @default 60000 */
  readonly workerIdleTimeoutMs?: number;
  /**
   * How many workers may stay alive across all functions before idle ones are retired after 5 s
   * rather than `workerIdleTimeoutMs` (busy ones never are). @default 4 per core
   */
  readonly maxLiveWorkers?: number;
  /** Where the local cloud reports problems (failed deliveries, exhausted stream retries). @default console.error */
  readonly log?: (message: string) => void;
  /** TTL sweep interval. @default 5000 */
  readonly ttlSweepIntervalMs?: number;
  /** Account id used in ARNs. @default '000000000000' */
  readonly accountId?: string;
  /** Region used in ARNs and by the SDKs. @default the platform's registry region, else 'eu-west-1' */
  readonly region?: string;
  /** Told about every invocation any engine makes (gateway, event-source mappings), before it runs. */
  readonly onInvoke?: InvokeListener;
  /**
   * Runs every schedule at this period in seconds instead of its declared one (fractions allowed),
   * so a test need not wait a minute for a sweep. @default each schedule's `everySeconds`
   */
  readonly scheduleEverySeconds?: number;
  /** Seed of the fault injector's draws (see {@link LocalCloud.faults}). @default none (random) */
  readonly faultSeed?: number;
  /** How long the facade gateway waits for a facade function before 504, at most 29000. @default 29000 */
  readonly facadeIntegrationTimeoutMs?: number;
  /**
   * Visibility timeout of every consumed queue, in seconds, instead of 6 x the consumer's timeout (the
   * stacks' setting). A test accelerator: a failed message still comes back, only sooner, so a test
   * of redelivery need not wait minutes. Keep it above the consumers' real run time. @default as deployed
   */
  readonly queueVisibilityTimeoutSeconds?: number;
  /**
   * Counts every call to DynamoDB Local, fauxqs and the event bus by operation, through a proxy in
   * front of each (see {@link CallMeter}), plus Lambda invocations per function: `cloud.meter.counts()`.
   * An extra loopback hop per call, so off by default. @default false
   */
  readonly meterCalls?: boolean;
  /**
   * Serve the developer console (the plan drawn, live activity, traces, dead letters with redrive,
   * logs) on this port (0: a free one), recording what the engines do into bounded rings. Off, no
   * engine has a listener and no invocation passes through the recorder. @default off (`npm start`: 3004)
   */
  readonly console?: { readonly port?: number; readonly capacity?: number };
}

/** Endpoints of a running local cloud. */
export interface LocalCloudUrls {
  /** The platform's HTTP API (the only public entry). */
  readonly http: string;
  /** The facade gateway; each quantum's facade is at `${facade}/<quantum>/v1` (see {@link LocalCloud.facadeUrlOf}). */
  readonly facade: string;
  /** The WebSocket API (`ws://…`; connect with `?ticket=`). */
  readonly webSocket: string;
  /** The WebSocket API's `@connections` endpoint. */
  readonly webSocketManagement: string;
  readonly dynamodb: string;
  readonly sqs: string;
  readonly eventBridge: string;
  /** The developer console, when started with `console`. */
  readonly console?: string;
}

/** What start-up took, for `npm start`'s banner and the benchmark. */
export interface LocalCloudTimings {
  readonly totalMs: number;
  readonly buildMs: number;
  /** True when the bundles of an earlier start were reused (esbuild did not run). */
  readonly bundlesCached: boolean;
  readonly functions: number;
  readonly bundleSizes: ReadonlyMap<string, number>;
}

type Stoppable = { stop(): Promise<void> | void };

/**
 * The local cloud: every registered quantum built from its manifest and running on local engines
 * (DynamoDB Local + stream poller + TTL sweeper, fauxqs + event-source mappings, our EventBridge,
 * our HTTP API gateway, our facade gateway verifying SigV4, schedule timers, functions in worker
 * threads with their quantum's credentials), with the same handler code and event shapes as AWS.
 * Functions reach every service through the AWS SDK via `AWS_ENDPOINT_URL_*`; every invocation
 * passes through a fault injector that tests can arm.
 *
 * @example
 * ```ts
 * const cloud = await LocalCloud.start({ plan: plan(manifests, readRegistry(root)), root });
 * console.log(cloud.urls.http); // http://127.0.0.1:3000
 * await cloud.stop();
 * ```
 */
export class LocalCloud {
  private constructor(
    readonly urls: LocalCloudUrls,
    readonly timings: LocalCloudTimings,
    /** The function runtime (tests read pool stats; the benchmark reads cold starts). */
    readonly runtime: LambdaRuntime,
    /** The HTTP gateway (tests count invocations through it). */
    readonly gateway: HttpGateway,
    /** The event bus (tests inspect the archive and undelivered events). */
    readonly bus: LocalEventBus,
    /** Every invocation any engine made, counted per function id. */
    readonly invocations: ObservedInvoker,
    /** The facade gateway (every quantum's facade REST API, SigV4-verified). */
    readonly facades: FacadeGateway,
    /** The WebSocket API gateway. */
    readonly webSockets: WebSocketGateway,
    /**
     * Fault injection on every invocation any engine makes: `cloud.faults.inject('payments.requests',
     * { mode: 'fail-after', rate: 0.2 })`, then `cloud.faults.clear()`.
     */
    readonly faults: FaultInjector,
    /** The schedules' timers (tests read run counts). */
    readonly scheduler: LocalScheduler,
    /** Each quantum's local identity (its functions' credentials). */
    readonly principals: LocalPrincipals,
    private readonly signingKeys: ReadonlyMap<string, readonly JsonWebKey[]>,
    private readonly encryptionKeys: ReadonlyMap<string, string>,
    private readonly stoppables: readonly Stoppable[],
    /** Gives back the bundles' folder (a cache lease, or the run's own folder, deleted). */
    private readonly releaseBundles: () => Promise<void>,
    /** Call counts by service and operation, when started with `meterCalls`. */
    readonly meter: CallMeter | undefined,
  ) {}

  /** Starts everything; on any failure stops what already started and rethrows. */
  static async start(options: LocalCloudOptions): Promise<LocalCloud> {
    const started = performance.now();
    const host = options.host ?? '127.0.0.1';
    const plan = options.plan;
    const platformPlacement = plan.quanta.find((q) => q.role === 'platform')?.placement;
    const region = options.region ?? platformPlacement?.region ?? 'eu-west-1';
    const accountId = options.accountId ?? '000000000000';
    const log = options.log ?? ((message: string) => console.error(`[local-cloud] ${message}`));
    const prefix = plan.prefix;
    const bundleCache = options.bundleCache ?? true;
    const buildDir = bundleCache
      ? path.join(options.root, 'node_modules', '.cache', 'quanta-local-bundles')
      : path.join(options.root, '.quanta', 'build', randomUUID().slice(0, 8));
    let releaseBundles = (): Promise<void> =>
      bundleCache ? Promise.resolve() : rm(buildDir, { recursive: true, force: true });
    const engines: Stoppable[] = [];
    const entrances: Stoppable[] = [];
    // The entrances stop first (no new work; the WebSocket gateway waits for its `$disconnect`
    // invocations, so the functions must still run), then the engines in reverse order of start.
    const stopOrder = (): Stoppable[] => [...entrances, ...engines];
    const track = <T extends Stoppable>(s: T): T => {
      engines.unshift(s);
      return s;
    };
    const trackEntrance = <T extends Stoppable>(s: T): T => {
      entrances.push(s);
      return s;
    };
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const entry = new DeferredInvoker();
    // The console's recording methods are the engines' listeners; without it, engines get none.
    const devConsole =
      options.console === undefined
        ? undefined
        : new DeveloperConsole({
            plan,
            host,
            port: options.console.port ?? 0,
            ...(options.console.capacity === undefined ? {} : { capacity: options.console.capacity }),
            log,
          });
    const taps = devConsole?.store;
    // A given engine is the cloud's from the start: a failure before Phase 1 stops it too.
    const givenDynamo =
      options.dynamodbEndpoint === undefined && options.dynamodbLocal !== undefined
        ? track(options.dynamodbLocal)
        : undefined;
    try {
      // One identity per quantum: its functions sign with it, the facade gateway verifies it.
      const principals = LocalPrincipals.generate(
        plan.quanta.map((q) => q.name),
        { accountId, prefix },
      );

      // Phase 0: bind the entries first (port 0 = a free port, with no race against other processes),
      // because functions need their URLs; they hold requests until the functions run (Phase 5).
      const gateway = new HttpGateway({
        routes: routesOf(plan),
        authorizerFunctionId: plan.platform.httpApi.authorizer,
        invoker: entry,
        port: options.httpPort ?? 0,
        host,
        authorizerCacheTtlSeconds: plan.platform.httpApi.authorizerCacheTtlSeconds,
        ...(plan.platform.httpApi.cors === undefined ? {} : { cors: plan.platform.httpApi.cors }),
        accountId,
        region,
        onError: (report) => log(`${report.routeKey} -> ${report.statusCode}: ${report.reason}`),
      });
      trackEntrance(gateway);
      const facades = trackEntrance(
        new FacadeGateway({
          apis: facadeApisOf(plan),
          invoker: entry,
          principals,
          region,
          accountId,
          port: options.facadePort ?? 0,
          host,
          ...(options.facadeIntegrationTimeoutMs === undefined
            ? {}
            : { integrationTimeoutMs: options.facadeIntegrationTimeoutMs }),
          onReport: (report) => {
            if (report.statusCode >= 500)
              log(`facade ${report.target} -> ${report.statusCode}: ${report.reason}`);
          },
        }),
      );
      const ws = plan.platform.webSocketApi;
      const target = ws.target;
      const webSockets = trackEntrance(
        new WebSocketGateway({
          // Route responses are off, as on the deployed API: functions answer through @connections.
          routes:
            target === undefined
              ? []
              : ws.routeKeys.map((routeKey) => ({
                  routeKey,
                  functionId: `${target.quantum}.${target.function}`,
                  returnResponse: false,
                })),
          authorizerFunctionId: ws.authorizer,
          invoker: entry,
          port: options.webSocketPort ?? 0,
          host,
          region,
          accountId,
          stage: ws.stage,
          ...options.webSocketLimits,
          onError: (report) =>
            log(`websocket ${report.routeKey} -> ${report.statusCode ?? 'closed'}: ${report.reason}`),
          ...(taps === undefined ? {} : { onPush: taps.recordPush }),
        }),
      );
      const [{ url: httpUrl }, { url: facadeUrl }, webSocket] = await Promise.all([
        gateway.start(),
        facades.start(),
        webSockets.start(),
      ]);

      // Phase 1, in parallel: the slow JVM; fauxqs with every queue, and the bus; the bundling of every
      // function. Queues and the bus wait for nothing DynamoDB Local does, so they are made while it boots.
      const dynamo =
        options.dynamodbEndpoint === undefined ? (givenDynamo ?? track(new DynamoDbLocal())) : undefined;
      const sqsLocal = track(
        new SqsLocal({ region, ...(taps === undefined ? {} : { onMessage: taps.recordMessage }) }),
      );
      // With metering on, every client (engines and functions) goes through the meter's proxies.
      const meter = options.meterCalls ? track(new CallMeter()) : undefined;
      const sdk = { region, credentials };
      const queues = new Map<string, ProvisionedQueue>();
      // Each schedule's DLQ, named as the plan names it: failed runs are parked there.
      const scheduleDlqs = new Map<string, string>();
      const schedules = schedulesOf(plan);
      // Each outbox relay's on-failure queue, by name: exhausted stream batches are kept there.
      const relayDlqs = new Map<string, string>();
      const streamBindings = streamBindingsOf(plan);
      const messaging = async () => {
        const sqsInfo = await sqsLocal.start();
        const sqsUrl = meter ? await meter.proxy('sqs', sqsInfo.endpoint) : sqsInfo.endpoint;
        const sqs = withoutSdkCallLogging(new SQSClient({ ...sdk, endpoint: sqsUrl }));
        const bus = new LocalEventBus({
          queueSender: new SqsQueueSender(sqs),
          account: accountId,
          region,
          archive: new EventArchive(),
          logger: {
            warn: (message, details) => log(`${message} ${details ? JSON.stringify(details) : ''}`),
            error: (message, details) => log(`${message} ${details ? JSON.stringify(details) : ''}`),
          },
          ...(taps === undefined ? {} : { onPut: taps.recordEvent }),
        });
        track({ stop: () => bus.close() });
        const busInfo = await bus.listen(0, host);
        const busUrl = meter ? await meter.proxy('events', busInfo.url) : busInfo.url;
        bus.createEventBus(plan.platform.bus);
        // Each quantum's queues, under the names the plan gives them.
        await Promise.all([
          ...streamBindings.map(async ({ trigger }) => {
            const { url } = await ensureQueue(sqs, { name: trigger.deadLetterQueue });
            relayDlqs.set(trigger.deadLetterQueue, url);
          }),
          ...queueSpecsOf(plan).map(async (planned) => {
            const spec =
              options.queueVisibilityTimeoutSeconds === undefined
                ? planned
                : { ...planned, visibilityTimeoutSeconds: options.queueVisibilityTimeoutSeconds };
            queues.set(planned.name, await ensureQueue(sqs, spec));
          }),
          ...schedules.map(async (schedule) => {
            const { url } = await ensureQueue(sqs, { name: schedule.deadLetterQueue });
            scheduleDlqs.set(`${schedule.quantum}.${schedule.id}`, url);
          }),
        ]);
        return { sqsInfo, sqsUrl, sqs, bus, busInfo, busUrl };
      };
      const bundler = new FunctionBundler({ outDir: buildDir, cache: bundleCache });
      // Every task settles before a failure is thrown: the cleanup below must not run while one of
      // them can still start a server it would then miss.
      const [dynamoInfo, { sqsInfo, sqsUrl, sqs, bus, busInfo, busUrl }, bundle] = await allSettledOrThrow([
        Promise.resolve(dynamo?.start()),
        messaging(),
        bundler.bundle(bundleRequestsOf(plan)).then((output) => {
          if (bundleCache) releaseBundles = output.release;
          return output;
        }),
      ]);
      const dynamodbEndpoint = options.dynamodbEndpoint ?? dynamoInfo?.endpoint;
      if (dynamodbEndpoint === undefined)
        throw new LocalCloudError('DynamoDB Local did not report an endpoint');
      const dynamodbUrl = meter ? await meter.proxy('dynamodb', dynamodbEndpoint) : dynamodbEndpoint;
      // The engines' own clients (pollers, event-source mappings, the bus, the sweeper) log no call either (D75).
      const dynamodb = withoutSdkCallLogging(new DynamoDBClient({ ...sdk, endpoint: dynamodbUrl }));
      const streams = withoutSdkCallLogging(new DynamoDBStreamsClient({ ...sdk, endpoint: dynamodbUrl }));

      // Phase 2: each quantum's table, under the name the plan gives it.
      const tables = new Map(
        await Promise.all(
          tableSpecsOf(plan).map(
            async (spec) => [spec.tableName, await ensureTable(dynamodb, spec)] as const,
          ),
        ),
      );
      // One local account: every rule goes on the one bus (no forwarding hop to a remote quantum's bus).
      for (const rule of eventRulesOf(plan)) {
        const inbox = queues.get(rule.inbox);
        if (inbox === undefined)
          throw new LocalCloudError(`Inbox ${rule.inbox} of rule ${rule.name} was not created`);
        bus.putRule(plan.platform.bus, rule.name, rule.pattern, [
          {
            id: 'inbox',
            queueUrl: inbox.url,
            ...(inbox.deadLetter ? { deadLetterQueueUrl: inbox.deadLetter.url } : {}),
          },
        ]);
      }

      // Phase 3: functions, with the environment the stacks give them plus the local endpoints.
      const signingKeys = new Map(
        plan.quanta.filter((q) => q.keys.signing).map((q) => [q.name, generateSigningKeys(2)] as const),
      );
      const encryptionKeys = new Map(
        plan.quanta
          .filter((q) => q.keys.encryption)
          .map((q) => [q.name, randomBytes(32).toString('base64')] as const),
      );
      const functionLogs = options.functionLogs ?? prefixedConsoleSink();
      const functions = localFunctionsOf(plan, {
        httpUrl,
        facadeUrl,
        // The SDK sends to a QueueUrl's host when it differs from the endpoint: point it at the meter.
        queueUrlOf: (name) => {
          const url = queues.get(name)?.url;
          return url === undefined || meter === undefined ? url : url.replace(sqsInfo.endpoint, sqsUrl);
        },
        signingKeys,
        encryptionKeys,
        webSocket,
        credentialsOf: (quantum) => principals.credentialsOf(quantum),
      });
      const runtime = new LambdaRuntime({
        functions,
        region,
        accountId,
        credentials,
        bundler: { bundle: async () => bundle },
        baseEnvironment: {
          AWS_ENDPOINT_URL_DYNAMODB: dynamodbUrl,
          AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbUrl,
          AWS_ENDPOINT_URL_SQS: sqsUrl,
          AWS_ENDPOINT_URL_EVENTBRIDGE: busUrl,
        },
        logSink: devConsole?.teeLogs(functionLogs) ?? functionLogs,
        ...(options.maxWorkersPerFunction === undefined
          ? {}
          : { maxWorkersPerFunction: options.maxWorkersPerFunction }),
        ...(options.workerIdleTimeoutMs === undefined
          ? {}
          : { workerIdleTimeoutMs: options.workerIdleTimeoutMs }),
        ...(options.maxLiveWorkers === undefined ? {} : { maxLiveWorkers: options.maxLiveWorkers }),
      });
      track(runtime);
      const runtimeInfo = await runtime.start();
      const timeouts = new Map(functions.map((fn) => [fn.id, (fn.timeoutSeconds ?? 10) * 1000]));
      const faults = track(
        new FaultInjector({
          inner: runtime,
          timeoutMsOf: (id) => timeouts.get(id) ?? 10_000,
          ...(options.faultSeed === undefined ? {} : { seed: options.faultSeed }),
        }),
      );
      // Every engine invokes through this chain, so counts and faults cover all invocations. Functions
      // are what write to tables, so each invocation that ends wakes the stream pollers of the tables
      // it may write (D66, D71); the others keep their idle pace.
      const streamPollers = new Map<string, StreamPoller[]>();
      const writes = tablesWrittenBy(plan);
      const invoker = new ObservedInvoker(
        devConsole?.recording(faults) ?? faults,
        options.onInvoke,
        (functionId) => {
          for (const table of writes.get(functionId) ?? []) {
            for (const poller of streamPollers.get(table) ?? []) poller.wake();
          }
        },
      );
      meter?.addSource('lambda', () => invoker.counts());

      // Phase 4: event-source mappings (SQS inboxes, outbox streams) and the TTL sweeper.
      for (const binding of queueBindingsOf(plan)) {
        const queue = queues.get(binding.queue.name);
        if (queue === undefined) throw new LocalCloudError(`Queue ${binding.queue.name} was not created`);
        const mapping = new SqsEventSourceMapping({
          sqs,
          queueUrl: queue.url,
          queueArn: queue.arn,
          functionId: binding.functionId,
          invoker,
          region,
          batchSize: binding.batchSize,
          maxBatchingWindowSeconds: binding.maxBatchingWindowSeconds,
          reportBatchItemFailures: true,
          maxConcurrency: binding.maxConcurrency,
          log,
        });
        track(mapping);
        mapping.start();
      }
      for (const { table: tableName, functionId, trigger } of streamBindings) {
        const streamArn = tables.get(tableName)?.streamArn;
        if (streamArn === undefined)
          throw new LocalCloudError(`Table ${tableName} has no stream for ${functionId}`);
        const filter = compilePattern(trigger.filter);
        const relayDlqUrl = relayDlqs.get(trigger.deadLetterQueue);
        if (relayDlqUrl === undefined)
          throw new LocalCloudError(
            `Dead-letter queue ${trigger.deadLetterQueue} of ${functionId} was not created`,
          );
        const poller = new StreamPoller({
          streams,
          streamArn,
          functionId,
          invoker,
          region,
          filter: (record) => filter.matches(record),
          // As the stack's on-failure destination: exhausted batches are kept on a queue, never dropped.
          onFailure: async (failure) => {
            log(`outbox relay ${failure.functionId} gave up on a batch: ${failure.reason}`);
            await sqs.send(
              new SendMessageCommand({ QueueUrl: relayDlqUrl, MessageBody: JSON.stringify(failure) }),
            );
          },
          log,
        });
        track(poller);
        streamPollers.set(tableName, [...(streamPollers.get(tableName) ?? []), poller]);
        poller.start();
      }
      const sweeper = track(
        new TtlSweeper({
          client: dynamodb,
          tables: tableSpecsOf(plan).map((t) => ({ tableName: t.tableName, ttlAttribute: t.ttlAttribute })),
          intervalMs: options.ttlSweepIntervalMs ?? 5000,
          log,
        }),
      );
      sweeper.start();

      const scheduler = track(
        new LocalScheduler({
          schedules,
          invoker,
          region,
          accountId,
          ...(options.scheduleEverySeconds === undefined
            ? {}
            : { everySeconds: options.scheduleEverySeconds }),
          // As the stack's on-failure destination: a failed run is parked on the schedule's DLQ.
          onFailure: async ({ schedule, payload, error }) => {
            const queueUrl = scheduleDlqs.get(`${schedule.quantum}.${schedule.id}`);
            if (queueUrl === undefined) return;
            await sqs.send(
              new SendMessageCommand({
                QueueUrl: queueUrl,
                MessageBody: JSON.stringify({ requestPayload: payload, responsePayload: error }),
              }),
            );
          },
          log,
        }),
      );
      scheduler.start();

      // Phase 5: the entries now route to the functions; requests that came early were waiting.
      entry.set(invoker);
      const consoleUrl =
        devConsole === undefined
          ? undefined
          : await trackEntrance(devConsole).start({
              sqs,
              peek: fauxqsPeek(sqsLocal.server),
              logsRecorded: functionLogs !== 'discard',
            });

      return new LocalCloud(
        {
          http: httpUrl,
          facade: facadeUrl,
          webSocket: webSocket.url,
          webSocketManagement: webSocket.managementUrl,
          dynamodb: dynamodbEndpoint,
          sqs: sqsInfo.endpoint,
          eventBridge: busInfo.url,
          ...(consoleUrl === undefined ? {} : { console: consoleUrl }),
        },
        {
          totalMs: performance.now() - started,
          buildMs: runtimeInfo.buildMs,
          bundlesCached: bundle.cached,
          functions: runtimeInfo.functions,
          bundleSizes: runtimeInfo.bundleSizes,
        },
        runtime,
        gateway,
        bus,
        invoker,
        facades,
        webSockets,
        faults,
        scheduler,
        principals,
        signingKeys,
        encryptionKeys,
        stopOrder(),
        releaseBundles,
        meter,
      );
    } catch (error) {
      entry.fail(error);
      await stopAll(stopOrder(), log);
      await releaseBundles();
      throw error;
    }
  }

  /**
   * The private signing keys generated for `quantum` (first = current). Only the local cloud has
   * them: tests use them to forge tokens that are validly signed but wrong in one claim.
   */
  signingKeysOf(quantum: string): readonly JsonWebKey[] {
    const keys = this.signingKeys.get(quantum);
    if (keys === undefined) throw new LocalCloudError(`Quantum '${quantum}' holds no signing key`);
    return keys;
  }

  /**
   * Base URL of `quantum`'s facade, as functions receive it in `FACADE_URL_<QUANTUM>` (no trailing
   * slash; operations at `${url}/ops/${name}`, SigV4-signed with a caller's credentials).
   */
  facadeUrlOf(quantum: string): string {
    return this.facades.urlOf(quantum);
  }

  /** The credentials `quantum`'s functions sign with; tests sign facade calls as that quantum. */
  credentialsOf(quantum: string): LocalCredentials {
    return this.principals.credentialsOf(quantum);
  }

  /** The data key (256 bits, base64) generated for `quantum`, as its functions get it in `ENCRYPTION_KEY_LOCAL`. */
  encryptionKeyOf(quantum: string): string {
    const key = this.encryptionKeys.get(quantum);
    if (key === undefined) throw new LocalCloudError(`Quantum '${quantum}' holds no encryption key`);
    return key;
  }

  private stopping: Promise<void> | undefined;

  /** Stops every server, poller, worker and the JVM (if it started one); idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    await stopAll(this.stoppables, () => undefined);
    await this.releaseBundles();
  }
}

async function stopAll(stoppables: readonly Stoppable[], log: (message: string) => void): Promise<void> {
  for (const s of stoppables) {
    try {
      await s.stop();
    } catch (error) {
      log(`stop failed: ${(error as Error).message}`);
    }
  }
}
