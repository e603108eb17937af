import type { JsonWebKey } from 'node:crypto';
import {
  type EnvValue,
  FACADE_STAGE,
  LOCAL_VARIABLE_NAMES,
  type QuantaPlan,
  type Trigger,
} from '@quanta/runtime/manifest';
import type { TableSpec } from './dynamodb';
import { LocalWiringError } from './errors';
import type { FacadeApiSpec } from './facade';
import type { GatewayRoute } from './http';
import type { LocalCredentials, LocalFunction } from './lambda';
import type { LocalSchedule } from './schedules';
import type { QueueBinding, QueueSpec } from './sqs';

/**
 * How the local cloud renders the plan: each function below turns one part of the plan into the
 * configuration of one local engine. Nothing here decides anything the plan has not decided (names,
 * timeouts, triggers, variables, callers all come from it), so what runs locally is what is deployed;
 * `test/stacks/parity.test.ts` compares this rendering with the synthesized templates.
 *
 * Two things are the local cloud's own: every rule goes on the one local bus (locally every quantum
 * shares one account, so the platform's forwarding hop to a remote quantum's bus is not needed), and
 * deploy-time references resolve to local endpoints ({@link LocalEndpoints}).
 */

/** Every table of the plan. */
export function tableSpecsOf(plan: QuantaPlan): TableSpec[] {
  return plan.quanta.map(({ table }) => ({
    tableName: table.name,
    partitionKey: table.partitionKey,
    sortKey: table.sortKey,
    indexes: table.indexes,
    ttlAttribute: table.ttlAttribute,
    ...(table.stream === undefined ? {} : { stream: table.stream }),
  }));
}

/** Every queue of the plan (inboxes and request/reply queues) with its DLQ. */
export function queueSpecsOf(plan: QuantaPlan): QueueSpec[] {
  return plan.quanta.flatMap((q) =>
    q.queues.map((queue) => ({
      name: queue.name,
      visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      deadLetter: queue.deadLetterQueue,
    })),
  );
}

/** The plan's queue triggers: which function consumes which queue, in what batches. */
export function queueBindingsOf(plan: QuantaPlan): (QueueBinding & { readonly maxConcurrency: number })[] {
  const specs = new Map(queueSpecsOf(plan).map((s) => [s.name, s]));
  return plan.quanta.flatMap((q) =>
    q.functions.flatMap((fn) =>
      fn.triggers.filter(isQueueTrigger).map((trigger) => {
        const queue = specs.get(trigger.queue);
        if (queue === undefined) {
          throw new LocalWiringError(`${fn.id} consumes '${trigger.queue}', which the plan does not create`);
        }
        return {
          queue,
          functionId: fn.id,
          batchSize: trigger.batchSize,
          maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
          // Pollers scale up to the function's pool size, as Lambda scales SQS pollers with concurrency.
          maxConcurrency: fn.reservedConcurrency ?? 8,
        };
      }),
    ),
  );
}

/**
 * The tables each function may write (its `readWrite` table permissions), by function id: what an
 * invocation of it can have added to a table's stream, hence which stream pollers it wakes (D66, D71).
 */
export function tablesWrittenBy(plan: QuantaPlan): ReadonlyMap<string, readonly string[]> {
  return new Map(
    plan.quanta.flatMap((q) =>
      q.functions.map((fn) => [
        fn.id,
        fn.permissions.flatMap((p) => (p.kind === 'table' && p.access === 'readWrite' ? [p.table] : [])),
      ]),
    ),
  );
}

/** The plan's stream triggers (outbox relays). */
export function streamBindingsOf(
  plan: QuantaPlan,
): { readonly table: string; readonly functionId: string; readonly trigger: StreamTrigger }[] {
  return plan.quanta.flatMap((q) =>
    q.functions.flatMap((fn) =>
      fn.triggers
        .filter((t): t is StreamTrigger => t.kind === 'stream')
        .map((trigger) => ({ table: trigger.table, functionId: fn.id, trigger })),
    ),
  );
}

/** The event rules, each delivering to its inbox. */
export function eventRulesOf(
  plan: QuantaPlan,
): { readonly name: string; readonly pattern: Readonly<Record<string, unknown>>; readonly inbox: string }[] {
  return plan.quanta.flatMap((q) =>
    q.rules.map((r) => ({ name: r.name, pattern: r.pattern, inbox: r.inbox })),
  );
}

/** The schedules, with the function they invoke. */
export function schedulesOf(plan: QuantaPlan): (LocalSchedule & { readonly deadLetterQueue: string })[] {
  return plan.quanta.flatMap((q) =>
    q.schedules.map((s) => ({
      quantum: q.name,
      id: s.id,
      scheduleName: s.name,
      functionId: `${q.name}.${s.function}`,
      everySeconds: s.everySeconds,
      deadLetterQueue: s.deadLetterQueue,
    })),
  );
}

/** The HTTP API's routes. */
export function routesOf(plan: QuantaPlan): GatewayRoute[] {
  return plan.platform.httpApi.routes.map((r) => ({
    routeKey: r.routeKey,
    method: r.method,
    path: r.path,
    quantum: r.quantum,
    functionId: r.target,
    authorized: r.authorized,
  }));
}

/** The facade REST APIs, each admitting per operation only its callers. */
export function facadeApisOf(plan: QuantaPlan): FacadeApiSpec[] {
  return plan.quanta.flatMap((q) => {
    const facade = q.facade;
    if (facade === undefined) return [];
    return [
      {
        quantum: q.name,
        apiId: `${q.name}facade`,
        functionId: facade.target,
        operations: new Map(
          facade.operations.map((op, i) => [
            op.name,
            {
              name: op.name,
              resourcePath: op.resourcePath,
              callers: op.callers,
              resourceId: `${q.name.slice(0, 3)}op${i}`,
            },
          ]),
        ),
      },
    ];
  });
}

/** What the local cloud provisioned, from which the plan's references resolve. */
export interface LocalEndpoints {
  /** Base URL of the platform's HTTP API. */
  readonly httpUrl: string;
  /** Base URL of the facade gateway (each facade at `/<quantum>/v1`). */
  readonly facadeUrl: string;
  /** URL of a provisioned queue by name. */
  readonly queueUrlOf: (queueName: string) => string | undefined;
  /** Generated signing keys (private JWKs, first = current) by quantum. */
  readonly signingKeys: ReadonlyMap<string, readonly JsonWebKey[]>;
  /** Generated 256-bit data keys, base64, by quantum. */
  readonly encryptionKeys: ReadonlyMap<string, string>;
  /** The WebSocket gateway's URL and `@connections` endpoint, when it runs. */
  readonly webSocket?: { readonly url: string; readonly managementUrl: string };
  /** The credentials a quantum's functions sign with (one identity per quantum). */
  readonly credentialsOf?: (quantum: string) => LocalCredentials;
}

/**
 * The functions the local Lambda runtime hosts, with the plan's environment resolved against the
 * local endpoints; a variable whose value differs by target by nature (a KMS key ARN in AWS, the key
 * itself locally) takes its local name from {@link LOCAL_VARIABLE_NAMES}.
 *
 * @example
 * ```ts
 * const functions = localFunctionsOf(plan, endpoints);
 * ```
 */
export function localFunctionsOf(plan: QuantaPlan, endpoints: LocalEndpoints): LocalFunction[] {
  return plan.quanta.flatMap((q) =>
    q.functions.map((fn) => {
      const environment: Record<string, string> = {};
      for (const [name, value] of Object.entries(fn.environment)) {
        const local = typeof value === 'string' ? name : (LOCAL_VARIABLE_NAMES[name] ?? name);
        environment[local] = resolveLocally(value, endpoints, `${fn.id} ${name}`);
      }
      const credentials = endpoints.credentialsOf?.(q.name);
      return {
        id: fn.id,
        entry: fn.entry,
        functionName: fn.name,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        environment,
        ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
        ...(credentials === undefined ? {} : { credentials }),
      };
    }),
  );
}

/** The functions to bundle (entry points only: bundling starts before any endpoint exists). */
export function bundleRequestsOf(plan: QuantaPlan): { readonly id: string; readonly entry: string }[] {
  return plan.quanta.flatMap((q) => q.functions.map((fn) => ({ id: fn.id, entry: fn.entry })));
}

function resolveLocally(value: EnvValue, endpoints: LocalEndpoints, what: string): string {
  if (typeof value === 'string') return value;
  switch (value.ref) {
    case 'queueUrl': {
      const url = endpoints.queueUrlOf(value.queue);
      if (url === undefined) throw new LocalWiringError(`${what}: queue '${value.queue}' was not created`);
      return url;
    }
    case 'facadeUrl':
      return `${endpoints.facadeUrl}/${value.quantum}/${FACADE_STAGE}`;
    case 'jwksUri':
      return `${endpoints.httpUrl}${value.path}`;
    case 'eventBus':
      return value.bus;
    case 'signingKeys': {
      const keys = endpoints.signingKeys.get(value.quantum);
      if (keys === undefined) throw new LocalWiringError(`${what}: no signing keys for '${value.quantum}'`);
      return JSON.stringify(keys);
    }
    case 'encryptionKey': {
      const key = endpoints.encryptionKeys.get(value.quantum);
      if (key === undefined) throw new LocalWiringError(`${what}: no data key for '${value.quantum}'`);
      return key;
    }
    case 'webSocketUrl':
    case 'webSocketManagementUrl': {
      const ws = endpoints.webSocket;
      if (ws === undefined) throw new LocalWiringError(`${what}: the WebSocket gateway is not running`);
      return value.ref === 'webSocketUrl' ? ws.url : ws.managementUrl;
    }
  }
}

type QueueTrigger = Extract<Trigger, { kind: 'queue' }>;
type StreamTrigger = Extract<Trigger, { kind: 'stream' }>;

function isQueueTrigger(trigger: Trigger): trigger is QueueTrigger {
  return trigger.kind === 'queue';
}
