import type { JsonWebKey } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QuantumManifest, Registry } from '@quanta/runtime/manifest';
import { ENV, namesOf, OUTBOX_STREAM_FILTER_PATTERN, requestQueueUrlVar } from '@quanta/runtime/manifest';
import { DynamoDbLocal, ensureTable, findFreePort, StreamPoller, TtlSweeper, tableSpecOf } from './dynamodb';
import { compilePattern, EventArchive, LocalEventBus, SqsQueueSender } from './eventbridge';
import { generateSigningKeys } from './generateSigningKeys';
import type { InvokeListener } from './http';
import { HttpGateway, ObservedInvoker } from './http';
import type { FunctionLogSink } from './lambda';
import { FunctionBundler, LambdaRuntime, localFunctionsOf, prefixedConsoleSink } from './lambda';
import type { ProvisionedQueue } from './sqs';
import { ensureQueue, queueBindingsOf, SqsEventSourceMapping, SqsLocal } from './sqs';

/** How to start a local cloud. */
export interface LocalCloudOptions {
  /** Every quantum's manifest, by name (`quanta/manifests.ts`). */
  readonly manifests: Readonly<Record<string, QuantumManifest>>;
  /** The registry (cdk.json context); only registered quanta run. */
  readonly registry: Registry;
  /** HTTP API port. @default 3000 (0 picks a free port) */
  readonly httpPort?: number;
  /** Interface every server binds. @default '127.0.0.1' */
  readonly host?: string;
  /** Use this DynamoDB endpoint instead of starting DynamoDB Local (tests share one). @default start one */
  readonly dynamodbEndpoint?: string;
  /** Repository root: bundles go to `<root>/.quanta/build/<id>` (inside the repo, so externals resolve). */
  readonly root: string;
  /** Where function output goes. @default each line on stdout/stderr prefixed with the function id */
  readonly functionLogs?: FunctionLogSink;
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
}

/** Endpoints of a running local cloud. */
export interface LocalCloudUrls {
  /** The platform's HTTP API (the only public entry). */
  readonly http: string;
  readonly dynamodb: string;
  readonly sqs: string;
  readonly eventBridge: string;
}

/** What start-up took, for `npm start`'s banner and the benchmark. */
export interface LocalCloudTimings {
  readonly totalMs: number;
  readonly buildMs: number;
  readonly functions: number;
  readonly bundleSizes: ReadonlyMap<string, number>;
}

type Stoppable = { stop(): Promise<void> | void };

/**
 * The local cloud: every registered quantum built from its manifest and running on local engines
 * (DynamoDB Local + stream poller + TTL sweeper, fauxqs + event-source mappings, our EventBridge,
 * our HTTP API gateway, functions in worker threads), with the same handler code and event shapes
 * as AWS. Functions reach every service through the AWS SDK via `AWS_ENDPOINT_URL_*`.
 *
 * @example
 * ```ts
 * const cloud = await LocalCloud.start({ manifests, registry: readRegistry(root), root });
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
    private readonly signingKeys: ReadonlyMap<string, readonly JsonWebKey[]>,
    private readonly stoppables: readonly Stoppable[],
    private readonly buildDir: string,
  ) {}

  /** Starts everything; on any failure stops what already started and rethrows. */
  static async start(options: LocalCloudOptions): Promise<LocalCloud> {
    const started = performance.now();
    const host = options.host ?? '127.0.0.1';
    const region = options.region ?? options.registry.quanta.platform?.region ?? 'eu-west-1';
    const accountId = options.accountId ?? '000000000000';
    const log = options.log ?? ((message: string) => console.error(`[local-cloud] ${message}`));
    const manifests = Object.keys(options.registry.quanta).map((name) => {
      const manifest = options.manifests[name];
      if (manifest === undefined) {
        throw new Error(`Quantum '${name}' is registered (cdk.json context 'quanta') but has no manifest`);
      }
      return manifest;
    });
    const prefix = options.registry.prefix;
    const buildDir = path.join(options.root, '.quanta', 'build', randomUUID().slice(0, 8));
    const stoppables: Stoppable[] = [];
    // Stopped in reverse order of start: the gateway first (no new work), the engines last.
    const track = <T extends Stoppable>(s: T): T => {
      stoppables.unshift(s);
      return s;
    };
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    try {
      const httpPort =
        options.httpPort === 0 || options.httpPort === undefined
          ? await findFreePort(host)
          : options.httpPort;
      const httpUrl = `http://${host}:${httpPort}`;

      // Phase 1, in parallel: the slow JVM, fauxqs, the bus and the bundling of every function.
      const dynamo = options.dynamodbEndpoint === undefined ? track(new DynamoDbLocal()) : undefined;
      const sqsLocal = track(new SqsLocal({ region }));
      const bundler = new FunctionBundler({ outDir: buildDir });
      const functionsDraft = localFunctionsOf(manifests, options.registry);
      const [dynamoInfo, sqsInfo, bundle] = await Promise.all([
        dynamo?.start(),
        sqsLocal.start(),
        bundler.bundle(functionsDraft.map((fn) => ({ id: fn.id, entry: fn.entry }))),
      ]);
      const dynamodbEndpoint = options.dynamodbEndpoint ?? dynamoInfo?.endpoint;
      if (dynamodbEndpoint === undefined) throw new Error('DynamoDB Local did not report an endpoint');
      const sdk = { region, credentials };
      const dynamodb = new DynamoDBClient({ ...sdk, endpoint: dynamodbEndpoint });
      const streams = new DynamoDBStreamsClient({ ...sdk, endpoint: dynamodbEndpoint });
      const sqs = new SQSClient({ ...sdk, endpoint: sqsInfo.endpoint });

      const bus = new LocalEventBus({
        queueSender: new SqsQueueSender(sqs),
        account: accountId,
        region,
        archive: new EventArchive(),
        logger: {
          warn: (message, details) => log(`${message} ${details ? JSON.stringify(details) : ''}`),
          error: (message, details) => log(`${message} ${details ? JSON.stringify(details) : ''}`),
        },
      });
      track({ stop: () => bus.close() });
      const busInfo = await bus.listen(0, host);
      bus.createEventBus(namesOf('platform', prefix).platformBus);

      // Phase 2: each quantum's table and queues, under the names the stacks give them.
      const tables = new Map(
        await Promise.all(
          manifests.map(async (m) => [m.name, await ensureTable(dynamodb, tableSpecOf(m, prefix))] as const),
        ),
      );
      const queues = new Map<string, ProvisionedQueue>();
      await Promise.all(
        manifests.flatMap((m) =>
          queueBindingsOf(m, prefix).map(async (binding) => {
            queues.set(binding.queue.name, await ensureQueue(sqs, binding.queue));
          }),
        ),
      );
      for (const m of manifests) {
        const names = namesOf(m.name, prefix);
        for (const subscription of m.subscriptions ?? []) {
          const inbox = queues.get(names.inbox(subscription.id));
          if (inbox === undefined) throw new Error(`Inbox of ${m.name}/${subscription.id} was not created`);
          bus.putRule(names.platformBus, `${m.name}-${subscription.id}`, subscription.pattern, [
            {
              id: 'inbox',
              queueUrl: inbox.url,
              ...(inbox.deadLetter ? { deadLetterQueueUrl: inbox.deadLetter.url } : {}),
            },
          ]);
        }
      }

      // Phase 3: functions, with the environment the stacks give them plus the local endpoints.
      const signingKeys = new Map(
        manifests.filter((m) => m.signingKey === true).map((m) => [m.name, generateSigningKeys(2)] as const),
      );
      const functions = localFunctionsOf(manifests, options.registry, (m, fn) => {
        const env: Record<string, string> = {};
        const keys = signingKeys.get(m.name);
        if (keys !== undefined) env[ENV.signingKeysJwk] = JSON.stringify(keys);
        if (m.name === 'platform' && fn === 'authorizer') {
          env[ENV.jwksUri] = `${httpUrl}/identity/.well-known/jwks.json`;
        }
        if (m.replyHandler !== undefined) {
          const reply = queues.get(namesOf(m.name, prefix).replyQueue);
          if (reply !== undefined) env[ENV.replyQueueUrl] = reply.url;
        }
        for (const target of m.sends ?? []) {
          const request = queues.get(namesOf(target.quantum, prefix).requestQueue);
          if (request !== undefined) env[requestQueueUrlVar(target.quantum)] = request.url;
        }
        return env;
      });
      const runtime = new LambdaRuntime({
        functions,
        region,
        accountId,
        credentials,
        bundler: { bundle: async () => bundle },
        baseEnvironment: {
          AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
          AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbEndpoint,
          AWS_ENDPOINT_URL_SQS: sqsInfo.endpoint,
          AWS_ENDPOINT_URL_EVENTBRIDGE: busInfo.url,
        },
        logSink: options.functionLogs ?? prefixedConsoleSink(),
      });
      track(runtime);
      const runtimeInfo = await runtime.start();
      const invoker = new ObservedInvoker(runtime, options.onInvoke);

      // Phase 4: event-source mappings (SQS inboxes, outbox streams) and the TTL sweeper.
      for (const m of manifests) {
        for (const binding of queueBindingsOf(m, prefix)) {
          const queue = queues.get(binding.queue.name);
          if (queue === undefined) throw new Error(`Queue ${binding.queue.name} was not created`);
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
            // Pollers scale up to the function's pool size, as Lambda scales SQS pollers with concurrency.
            maxConcurrency:
              m.functions[binding.functionId.slice(m.name.length + 1)]?.reservedConcurrency ?? 8,
            log,
          });
          track(mapping);
          mapping.start();
        }
        const table = tables.get(m.name);
        if (m.outboxRelay !== undefined && table?.streamArn !== undefined) {
          const outboxFilter = compilePattern(OUTBOX_STREAM_FILTER_PATTERN);
          const names = namesOf(m.name, prefix);
          const relayDlq = await ensureQueue(sqs, { name: names.dlq(`${prefix}-${m.name}-outbox-relay`) });
          const poller = new StreamPoller({
            streams,
            streamArn: table.streamArn,
            functionId: `${m.name}.${m.outboxRelay}`,
            invoker,
            region,
            filter: (record) => outboxFilter.matches(record),
            // As the stack's on-failure destination: exhausted batches are kept on a queue, never dropped.
            onFailure: async (failure) => {
              log(`outbox relay ${failure.functionId} gave up on a batch: ${failure.reason}`);
              await sqs.send(
                new SendMessageCommand({ QueueUrl: relayDlq.url, MessageBody: JSON.stringify(failure) }),
              );
            },
            log,
          });
          track(poller);
          poller.start();
        }
      }
      const sweeper = track(
        new TtlSweeper({
          client: dynamodb,
          tables: manifests.map((m) => ({
            tableName: namesOf(m.name, prefix).table,
            ttlAttribute: m.table.ttlAttribute ?? 'expiresAt',
          })),
          intervalMs: options.ttlSweepIntervalMs ?? 5000,
          log,
        }),
      );
      sweeper.start();

      // Phase 5: the public entry, last, so nothing is served before everything behind it runs.
      const gateway = new HttpGateway({
        manifests,
        invoker,
        port: httpPort,
        host,
        authorizerCacheTtlSeconds: options.registry.authorizerCacheTtlSeconds,
        accountId,
        region,
        onError: (report) => log(`${report.routeKey} -> ${report.statusCode}: ${report.reason}`),
      });
      track(gateway);
      await gateway.start();

      return new LocalCloud(
        { http: httpUrl, dynamodb: dynamodbEndpoint, sqs: sqsInfo.endpoint, eventBridge: busInfo.url },
        {
          totalMs: performance.now() - started,
          buildMs: runtimeInfo.buildMs,
          functions: runtimeInfo.functions,
          bundleSizes: runtimeInfo.bundleSizes,
        },
        runtime,
        gateway,
        bus,
        invoker,
        signingKeys,
        stoppables,
        buildDir,
      );
    } catch (error) {
      await stopAll(stoppables, log);
      await rm(buildDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * The private signing keys generated for `quantum` (first = current). Only the local cloud has
   * them: tests use them to forge tokens that are validly signed but wrong in one claim.
   */
  signingKeysOf(quantum: string): readonly JsonWebKey[] {
    const keys = this.signingKeys.get(quantum);
    if (keys === undefined) throw new Error(`Quantum '${quantum}' holds no signing key`);
    return keys;
  }

  private stopping: Promise<void> | undefined;

  /** Stops every server, poller, worker and the JVM (if it started one); idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    await stopAll(this.stoppables, () => undefined);
    await rm(this.buildDir, { recursive: true, force: true });
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
