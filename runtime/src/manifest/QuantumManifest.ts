/**
 * The manifest model: the single description of a quantum that both the CDK stacks (`stacks/`)
 * and the local cloud (`local/`) are built from. A quantum declares it once, in
 * `quanta/<name>/quantum.ts`, with {@link defineQuantum}.
 *
 * Everything here is plain data (no CDK, no AWS SDK) so that a manifest can be imported by a
 * synth, by the local cloud and by a Lambda bundle (the `api` router reads its routes from it).
 */

/** HTTP methods a public route may use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route through the platform's HTTP API.
 * - `public`: no authorizer; the platform adds an explicit route for it (a platform change on purpose).
 * - `authenticated`: any valid access token (the platform's `ANY /{quantum}/{proxy+}` route with the authorizer).
 * - `{ role }`: authenticated, and the token's `roles` must contain `role` (checked by the quantum's router).
 */
export type RouteAccess = 'public' | 'authenticated' | { readonly role: string };

/** One public HTTP route of a quantum; every route is served by the quantum's `api` function. */
export interface RouteDefinition {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Full path as the client calls it, starting with the quantum's base path; `{param}` segments are path parameters. */
  readonly path: string;
  /** Who may call it. */
  readonly access: RouteAccess;
  /** Largest accepted request body in bytes. @default 16384 */
  readonly maxBodyBytes?: number;
}

/** One Lambda function of a quantum. */
export interface FunctionDefinition {
  /** Entry file, relative to the quantum's directory (e.g. `handlers/api.ts`); it exports `handler`. */
  readonly entry: string;
  /** Memory in MB. @default 512 */
  readonly memoryMb?: number;
  /** Timeout in seconds. @default 10 */
  readonly timeoutSeconds?: number;
  /** Static environment variables added to the standard ones. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Reserved concurrency; locally, the size of the worker pool. @default unreserved (local pool: 8) */
  readonly reservedConcurrency?: number;
}

/** A DynamoDB global secondary index (string keys, projection ALL). */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

/** The quantum's single table (single-table design: `pk`/`sk` strings, on-demand, PITR). */
export interface TableDefinition {
  /** Name of the TTL attribute (epoch seconds). @default 'expiresAt' */
  readonly ttlAttribute?: string;
  /** Global secondary indexes. @default none */
  readonly indexes?: readonly IndexDefinition[];
}

/**
 * An EventBridge subscription: matching events on the bus land in the quantum's inbox queue
 * for this subscription (with a DLQ) and are consumed in batches by `function`.
 */
export interface SubscriptionDefinition {
  /** Stable id, kebab-case; names the rule and the inbox queue. */
  readonly id: string;
  /** Name of the consuming function (a key of `functions`). */
  readonly function: string;
  /** EventBridge event pattern (the full pattern language). */
  readonly pattern: Readonly<Record<string, unknown>>;
  /** SQS batch size. @default 10 */
  readonly batchSize?: number;
  /** Maximum batching window in seconds. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
}

/**
 * A queue of the quantum's own (a work queue, e.g. chat's fan-out batches): any of its functions may
 * send to it (`WORK_QUEUE_URL_<ID>`), `function` consumes it in batches; nobody else may send.
 */
export interface WorkQueueDefinition {
  /** Stable id, kebab-case; names the queue (`<prefix>-<quantum>-<id>`). */
  readonly id: string;
  /** Name of the consuming function (a key of `functions`). */
  readonly function: string;
  /** SQS batch size. @default 10 */
  readonly batchSize?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
}

/** A request type this quantum answers on its request queue (request/reply channel). */
export interface RequestHandlerDefinition {
  /** Request type, e.g. `ReserveStock` (defined in shared-contracts). */
  readonly type: string;
  /** Name of the consuming function (a key of `functions`). */
  readonly function: string;
}

/** Requests this quantum sends to another quantum's request queue. */
export interface RequestTargetDefinition {
  /** Target quantum's name. */
  readonly quantum: string;
  /** Request types sent. */
  readonly types: readonly string[];
}

/** A facade operation, served by the quantum's `facade` function behind an IAM-authorized REST API. */
export interface FacadeOperationDefinition {
  /** Operation name, e.g. `GetUser`; the facade path is `POST /ops/{name}`. */
  readonly name: string;
  /** Quanta allowed to call it (its resource policy names only these). */
  readonly callers: readonly string[];
}

/** A schedule invoking a function (EventBridge Scheduler in AWS, a timer locally). */
export interface ScheduleDefinition {
  readonly id: string;
  readonly function: string;
  /** Rate in seconds (AWS minimum is 60; locally any value). */
  readonly everySeconds: number;
}

/**
 * An alarm on one of the quantum's own business metrics (emitted with Powertools Metrics under the
 * `Quanta` namespace, dimension `service` = the quantum): fires when the metric's sum over one
 * period is above `threshold`.
 */
export interface MetricAlarmDefinition {
  /** Metric name, e.g. `SagaTimeouts`. */
  readonly metric: string;
  /** Alarm when the sum over a period is above this. @default 0 */
  readonly threshold?: number;
  /** Period in seconds. @default 300 */
  readonly periodSeconds?: number;
  /** Why it matters, for whoever is paged. */
  readonly description: string;
}

/**
 * The WebSocket routes a quantum serves on the platform's WebSocket API (one quantum at most):
 * every route key goes to `function`; `$connect` passes the platform's ticket authorizer first.
 */
export interface WebSocketDefinition {
  /** Name of the function serving every route (a key of `functions`). */
  readonly function: string;
  /** Route keys: `$connect`, `$disconnect`, `$default` and the client actions (route selection `$request.body.action`). */
  readonly routes: readonly string[];
}

/** The complete description of a quantum. */
export interface QuantumManifest {
  /** Lower-case name; the stack id is its PascalCase (`orders` -> `Orders`). */
  readonly name: string;
  /** Absolute directory of the quantum (use `import.meta.dirname`). */
  readonly dir: string;
  /**
   * First path segment of its public routes; the platform routes `ANY {basePath}` and
   * `ANY {basePath}/{proxy+}` to it. @default `/${name}`
   */
  readonly basePath?: string;
  /** Its table. */
  readonly table: TableDefinition;
  /** Its functions, by name. `api` serves routes; `facade` serves facade operations. */
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  /** Public routes (all go to `functions.api`). @default none */
  readonly routes?: readonly RouteDefinition[];
  /** Facade operations (all go to `functions.facade`). @default none */
  readonly facade?: readonly FacadeOperationDefinition[];
  /** Event detail-types this quantum publishes (source is `quanta.<name>`). @default none */
  readonly publishes?: readonly string[];
  /**
   * Name of the function that relays outbox items from the table stream to the bus.
   * Required when `publishes` is not empty. @default none
   */
  readonly outboxRelay?: string;
  /** Event subscriptions. @default none */
  readonly subscriptions?: readonly SubscriptionDefinition[];
  /** Its own work queues. @default none */
  readonly workQueues?: readonly WorkQueueDefinition[];
  /** Request types it answers. @default none */
  readonly requestHandlers?: readonly RequestHandlerDefinition[];
  /** Function that consumes replies to the requests it sends. @default none */
  readonly replyHandler?: string;
  /** Requests it sends. @default none */
  readonly sends?: readonly RequestTargetDefinition[];
  /** Quanta whose facade it calls. @default none */
  readonly calls?: readonly string[];
  /** Schedules. @default none */
  readonly schedules?: readonly ScheduleDefinition[];
  /** Alarms on the quantum's business metrics (beyond the standard function/queue alarms). @default none */
  readonly metricAlarms?: readonly MetricAlarmDefinition[];
  /** WebSocket routes it serves. @default none */
  readonly webSocket?: WebSocketDefinition;
  /** The quantum holds an ES256 signing key (KMS in AWS, a generated key locally). @default false */
  readonly signingKey?: boolean;
  /**
   * The quantum holds a symmetric encryption key for data it must keep but never in clear (a
   * symmetric KMS key in AWS, a generated 256-bit key locally). @default false
   */
  readonly encryptionKey?: boolean;
}
