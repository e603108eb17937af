/**
 * The planner: resolves the manifests and the registry ONCE into a {@link QuantaPlan}, a plain,
 * serialisable description of everything that will exist (tables, functions and their triggers,
 * environment, permissions, queues, rules, routes, facades, schedules, alarms, keys). The CDK
 * stacks (`stacks/`) and the local cloud (`local/`) only render this plan, so every rule (a name
 * pattern, a timeout formula, who may send to whom) lives here and nowhere else.
 *
 * No CDK and no AWS SDK here: the plan names resources symbolically (`{ ref: 'queueUrl', queue }`)
 * and each renderer resolves the references its own way (a CloudFormation token, a local URL).
 */
import {
  ENV,
  facadeUrlVar,
  replyQueueUrlVar,
  requestQueueUrlVar,
  workQueueUrlVar,
} from '../config/environment';
import { type CorsSettings, DEFAULT_CORS_ALLOW_METHODS } from './cors';
import { basePathOf, ManifestError } from './defineQuantum';
import { MAX_ROLE_NAME_LENGTH, namesOf, roleNameOf, roleStemOf, stackIdOf } from './names';
import { OUTBOX_STREAM_FILTER_PATTERN } from './outbox';
import type { HttpMethod, MetricAlarmDefinition, QuantumManifest, RouteAccess } from './QuantumManifest';
import type { AuthSettings, Registry } from './registry';
import { validateManifest } from './validateManifest';

/** The quantum that owns the meeting points; the registry must list it. */
export const PLATFORM = 'platform';
/** Stage of every facade REST API: operations are `POST {url}/ops/{name}` under `/v1`. */
export const FACADE_STAGE = 'v1';
/** Stage of the WebSocket API. */
export const WEBSOCKET_STAGE = 'live';
/** Where the issuer (the quantum holding the signing key) serves its JWKS, under its base path. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Lambda's limit on function names. */
const MAX_FUNCTION_NAME_LENGTH = 64;

/**
 * Variables whose name differs by target because the value does: AWS gets KMS key ARNs, the local
 * cloud the generated keys themselves. The plan uses the AWS name; the local renderer renames.
 */
export const LOCAL_VARIABLE_NAMES: Readonly<Record<string, string>> = {
  [ENV.signingKeyArns]: ENV.signingKeysJwk,
  [ENV.encryptionKeyArn]: ENV.encryptionKeyLocal,
};

/** A value a renderer resolves: a deterministic name is plain text, a deploy-time value is a reference. */
export type EnvValue =
  | string
  /** URL of a queue (by name; hosted by `host`'s account). */
  | { readonly ref: 'queueUrl'; readonly queue: string; readonly host: string }
  /** Base URL of a quantum's facade stage. */
  | { readonly ref: 'facadeUrl'; readonly quantum: string }
  /** URL of the issuer's JWKS: the platform HTTP API's URL + `path`. */
  | { readonly ref: 'jwksUri'; readonly path: string }
  /** The platform bus (AWS: its ARN; locally: its name). */
  | { readonly ref: 'eventBus'; readonly bus: string }
  /** The quantum's signing keys (AWS: KMS ARNs, first signs; locally: private JWKs). */
  | { readonly ref: 'signingKeys'; readonly quantum: string }
  /** The quantum's data key (AWS: KMS ARN; locally: a 256-bit key). */
  | { readonly ref: 'encryptionKey'; readonly quantum: string }
  /** The platform WebSocket API's URL clients connect to (`wss://…/live`; locally `ws://…`). */
  | { readonly ref: 'webSocketUrl' }
  /** The platform WebSocket API's `@connections` endpoint. */
  | { readonly ref: 'webSocketManagementUrl' };

/** What a function may touch beyond its triggers, named symbolically. */
export type Permission =
  | { readonly kind: 'table'; readonly table: string; readonly access: 'read' | 'readWrite' }
  | { readonly kind: 'sendQueue'; readonly queue: string; readonly host: string }
  | { readonly kind: 'putEvents'; readonly bus: string; readonly source: string }
  | { readonly kind: 'invokeFacade'; readonly quantum: string; readonly operations: readonly string[] }
  | { readonly kind: 'signingKey'; readonly quantum: string }
  | { readonly kind: 'encryptionKey'; readonly quantum: string }
  /** `execute-api:ManageConnections` on the platform WebSocket API's `@connections`. */
  | { readonly kind: 'manageConnections' };

/**
 * An IAM role the plan names, so that a resource policy can admit exactly it (`aws:PrincipalArn`
 * equal to its ARN) rather than a name pattern anyone allowed to create roles could match.
 */
export interface RolePlan {
  /** The quantum whose stack (and account) holds the role. */
  readonly quantum: string;
  /**
   * Its name without the region (`roleStemOf`): it is deployed as `roleNameOf(stem, region)`, the
   * region being its quantum's, which an environment-agnostic registry leaves to deploy time.
   */
  readonly stem: string;
}

/** Where a quantum serving a platform API's routes reads that API's id, which its invoke permission names. */
export interface PlatformApiIdPlan {
  /** The SSM parameter the platform writes the id to. */
  readonly parameter: string;
  /**
   * Set when the quantum is in another account or region than the platform: it reads the parameter
   * by ARN, which the platform shares with its account through AWS RAM.
   */
  readonly shared?: { readonly account: string; readonly region: string };
}

/** What invokes a function. */
export type Trigger =
  | {
      readonly kind: 'httpRoutes';
      readonly routes: readonly string[];
      /** The platform HTTP API: only it may invoke the function. */
      readonly apiId: PlatformApiIdPlan;
    }
  | { readonly kind: 'facade'; readonly operations: readonly string[] }
  | {
      readonly kind: 'queue';
      readonly queue: string;
      readonly batchSize: number;
      readonly maxBatchingWindowSeconds: number;
      readonly visibilityTimeoutSeconds: number;
    }
  | {
      readonly kind: 'stream';
      readonly table: string;
      readonly filter: Readonly<Record<string, unknown>>;
      readonly batchSize: number;
      readonly retryAttempts: number;
      readonly maxRecordAgeSeconds: number;
      readonly deadLetterQueue: string;
    }
  | { readonly kind: 'schedule'; readonly schedule: string; readonly everySeconds: number }
  | { readonly kind: 'httpAuthorizer' }
  | { readonly kind: 'webSocketAuthorizer' }
  | {
      readonly kind: 'webSocketRoutes';
      readonly routeKeys: readonly string[];
      /** The platform WebSocket API: only it may invoke the function. */
      readonly apiId: PlatformApiIdPlan;
    };

/** One Lambda function, resolved. */
export interface FunctionPlan {
  /** The manifest key, e.g. `api`. */
  readonly key: string;
  /** `<quantum>.<key>`: the id the local cloud uses. */
  readonly id: string;
  /** `<prefix>-<quantum>-<kebab key>`: the deployed name. */
  readonly name: string;
  /** Its execution role (stem: its name), the principal resource policies admit for it. */
  readonly role: RolePlan;
  /** Absolute entry file (exports `handler`). */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly triggers: readonly Trigger[];
  /** Every variable, the registry's overrides applied last. */
  readonly environment: Readonly<Record<string, EnvValue>>;
  readonly permissions: readonly Permission[];
}

/** One SQS queue with its DLQ. */
export interface QueuePlan {
  readonly name: string;
  /** What it carries: events (inbox), requests, replies, or the quantum's own work. */
  readonly kind: 'inbox' | 'request' | 'reply' | 'work';
  /** The quantum whose stack (and account) holds it: the platform for request/reply queues. */
  readonly host: string;
  /** The consuming function. */
  readonly consumer: { readonly quantum: string; readonly function: string };
  /** 6 x the consumer's timeout, at least 30 s (AWS's advice for queues behind Lambda). */
  readonly visibilityTimeoutSeconds: number;
  readonly deadLetterQueue: { readonly name: string; readonly maxReceiveCount: number };
  /** Quanta allowed to send (request: its senders; reply: the quanta it sends to; work: itself; inbox: the bus). */
  readonly senders: readonly string[];
  /** Roles of exactly the functions the plan lets send to it (its `sendQueue` permissions); none for an inbox. */
  readonly senderRoles: readonly RolePlan[];
  /** Role of the consuming function. */
  readonly consumerRole: RolePlan;
}

/** A rule routing events to an inbox. */
export interface EventRulePlan {
  readonly name: string;
  readonly subscription: string;
  /** The bus it is put on: the platform bus, or the quantum's own bus when it is remote. */
  readonly bus: string;
  readonly pattern: Readonly<Record<string, unknown>>;
  /** Inbox queue name. */
  readonly inbox: string;
  readonly consumer: string;
}

/** One route of the platform HTTP API. */
export interface HttpRoutePlan {
  /** `METHOD /path`, as API Gateway keys it. */
  readonly routeKey: string;
  readonly method: HttpMethod | 'ANY';
  readonly path: string;
  readonly quantum: string;
  /** Function id of the integration (`<quantum>.api`). */
  readonly target: string;
  /** True behind the Lambda authorizer. */
  readonly authorized: boolean;
}

/** A route a quantum declares, with who may call it (checked by the quantum's router). */
export interface DeclaredRoutePlan {
  readonly method: HttpMethod;
  readonly path: string;
  readonly access: RouteAccess;
}

/** A quantum's facade REST API. */
export interface FacadePlan {
  readonly apiName: string;
  readonly stage: string;
  /** Function id of the `facade` function. */
  readonly target: string;
  /** SSM parameter that publishes its URL. */
  readonly urlParameter: string;
  /** Other accounts its URL parameter is shared with (AWS RAM), so callers there can read it. */
  readonly shareWithAccounts: readonly string[];
  readonly operations: readonly {
    readonly name: string;
    /** `/ops/{name}`. */
    readonly resourcePath: string;
    /** Registered quanta admitted by the resource policy: those it lists that call this facade. */
    readonly callers: readonly string[];
    /** Roles of exactly the callers' functions the plan lets invoke it (their `invokeFacade` permissions). */
    readonly callerRoles: readonly RolePlan[];
  }[];
}

/** Where a caller finds a target's facade URL. */
export interface FacadeCallPlan {
  readonly target: string;
  /** Operations of the target that admit this caller. */
  readonly operations: readonly string[];
  /** The target's URL parameter name. */
  readonly urlParameter: string;
  /**
   * Set when the target is in another account or region: the caller reads the target's parameter
   * by ARN, which the target shares with the caller's account through AWS RAM.
   */
  readonly shared?: { readonly account: string; readonly region: string };
}

/** A schedule invoking a function. */
export interface SchedulePlan {
  readonly id: string;
  readonly name: string;
  readonly function: string;
  readonly everySeconds: number;
  readonly deadLetterQueue: string;
}

/** Where a quantum lives, as the registry says (unknown = the platform's, then the deploying credentials'). */
export interface PlacementPlan {
  readonly account?: string;
  readonly region?: string;
  /** It cannot put rules on the platform bus (another account or region). */
  readonly remote: boolean;
}

/** Everything one quantum's stack holds. */
export interface QuantumPlan {
  readonly name: string;
  /** PascalCase stack id. */
  readonly stackId: string;
  /** The platform owns the meeting points; every other quantum is a business quantum. */
  readonly role: 'platform' | 'business';
  readonly dir: string;
  readonly placement: PlacementPlan;
  /** First path segment of its routes, when it has an `api` function. */
  readonly basePath?: string;
  readonly routes: readonly DeclaredRoutePlan[];
  readonly table: {
    readonly name: string;
    readonly partitionKey: 'pk';
    readonly sortKey: 'sk';
    readonly indexes: readonly { name: string; partitionKey: string; sortKey?: string }[];
    readonly ttlAttribute: string;
    /** `NEW_IMAGE` when it relays an outbox. */
    readonly stream?: 'NEW_IMAGE';
  };
  readonly functions: readonly FunctionPlan[];
  /** Queues in this quantum's stack (its inboxes; the platform's also hold every request/reply queue). */
  readonly queues: readonly QueuePlan[];
  readonly rules: readonly EventRulePlan[];
  /** Its own bus, when it is remote and subscribes to events. */
  readonly ownBus?: string;
  /** Event source and detail types it publishes. */
  readonly publishes: { readonly source: string; readonly detailTypes: readonly string[] };
  readonly facade?: FacadePlan;
  readonly calls: readonly FacadeCallPlan[];
  readonly schedules: readonly SchedulePlan[];
  readonly alarms: readonly MetricAlarmDefinition[];
  readonly keys: { readonly signing: boolean; readonly encryption: boolean };
  /** Queue of the outbox relay's exhausted stream batches. */
  readonly outboxDeadLetterQueue?: string;
}

/** The platform's meeting points. */
export interface PlatformPlan {
  /** Name of the platform quantum (its role, `platform`, is what renderers test). */
  readonly quantum: string;
  readonly bus: string;
  readonly httpApi: {
    readonly name: string;
    readonly urlParameter: string;
    /** SSM parameter holding the API's id, which the quanta behind it scope their invoke permission to. */
    readonly idParameter: string;
    /** Other accounts the id parameter is shared with (AWS RAM): those of the quanta behind it elsewhere. */
    readonly shareWithAccounts: readonly string[];
    /** Function id of the Lambda authorizer. */
    readonly authorizer: string;
    readonly authorizerCacheTtlSeconds: number;
    readonly routes: readonly HttpRoutePlan[];
    /** JWKS path on the HTTP API (the issuer's), when a quantum holds the signing key. */
    readonly jwksPath?: string;
    /**
     * The API's CORS configuration (the registry's `quanta:cors`), when it has one: API Gateway then
     * answers preflights itself, and the authenticated catch-all routes name each method instead of
     * `ANY`, so that a preflight (`OPTIONS`) matches no route and never reaches the authorizer.
     */
    readonly cors?: CorsSettings;
  };
  readonly webSocketApi: {
    readonly name: string;
    readonly stage: string;
    /** Function id of the `$connect` ticket authorizer. */
    readonly authorizer: string;
    /** The quantum and function serving the routes, when one declares them. */
    readonly target?: { readonly quantum: string; readonly function: string };
    readonly routeKeys: readonly string[];
    /** SSM parameter holding the API's URL (`wss://…/{stage}`). */
    readonly urlParameter: string;
    /** SSM parameter holding the API's id, which the serving quantum scopes its invoke permission to. */
    readonly idParameter: string;
    /**
     * Set when the serving quantum is in another account or region: its functions read the URL and
     * id parameters by ARN, which the platform shares with that account through AWS RAM.
     */
    readonly shared?: { readonly account: string; readonly region: string };
  };
  /** Quanta that publish, with their source and the roles that put their events (the bus policy admits exactly these). */
  readonly publishers: readonly {
    readonly quantum: string;
    readonly source: string;
    /** Roles of the functions the plan lets put events with `source` (its outbox relay). */
    readonly roles: readonly RolePlan[];
  }[];
  /** Rules forwarding events to remote quanta's own buses. */
  readonly forwardings: readonly {
    readonly quantum: string;
    readonly ruleName: string;
    /** The role the rule delivers with, which the remote quantum's bus admits. */
    readonly role: RolePlan;
    readonly targetBus: string;
    readonly patterns: readonly Readonly<Record<string, unknown>>[];
    readonly deadLetterQueue: string;
  }[];
}

/** The resolved description of a whole Quanta app. */
export interface QuantaPlan {
  readonly prefix: string;
  readonly production: boolean;
  readonly auth: AuthSettings;
  /** Every registered quantum, platform first, then in registry order. */
  readonly quanta: readonly QuantumPlan[];
  readonly platform: PlatformPlan;
}

/**
 * Resolves the registered quanta's manifests into the plan both renderers draw. Fails, naming the
 * problem, on anything that would not deploy: a manifest `validateManifest` refuses, a registered
 * quantum without a manifest, a request
 * type the target does not handle, a facade call no operation admits, a queue consumer in another
 * region than the platform, a schedule AWS cannot express, clashing routes or base paths.
 *
 * @example
 * ```ts
 * const p = plan(manifests, parseRegistry({ quanta: { platform: {}, identity: {} } }));
 * p.quanta.find((q) => q.name === 'identity')?.functions.map((f) => f.name); // ['quanta-identity-api', …]
 * ```
 */
export function plan(manifests: Readonly<Record<string, QuantumManifest>>, registry: Registry): QuantaPlan {
  const registered = registeredManifests(manifests, registry);
  const ctx = new PlanContext(registered, registry);
  const quanta = registered.map((m) => planQuantum(m, ctx));
  return {
    prefix: registry.prefix,
    production: registry.production,
    auth: registry.auth,
    quanta,
    platform: planPlatform(ctx),
  };
}

/** The function of `quantum` with manifest key `key`, or undefined. */
export function functionOf(p: QuantaPlan, quantum: string, key: string): FunctionPlan | undefined {
  return p.quanta.find((q) => q.name === quantum)?.functions.find((f) => f.key === key);
}

/** The quantum plan named `name`; fails when it is not registered. */
export function quantumOf(p: QuantaPlan, name: string): QuantumPlan {
  const q = p.quanta.find((x) => x.name === name);
  if (q === undefined) {
    throw new ManifestError(
      `Quantum '${name}' is not in the registry; registered: ${p.quanta.map((x) => x.name).join(', ')}`,
    );
  }
  return q;
}

/** Every queue of the app (inboxes and request/reply queues), wherever it is hosted. */
export function queuesOf(p: QuantaPlan): QueuePlan[] {
  return p.quanta.flatMap((q) => q.queues);
}

/** `quanta-identity-outbox-relay` for (`quanta`, `identity`, `outboxRelay`), within Lambda's 64 characters. */
export function functionNameOf(prefix: string, quantum: string, key: string): string {
  const kebab = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const name = `${prefix}-${quantum}-${kebab}`;
  if (name.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new ManifestError(
      `Function name '${name}' (quantum '${quantum}', function '${key}') is ${name.length} characters; Lambda allows ${MAX_FUNCTION_NAME_LENGTH}. Shorten the prefix, the quantum or the function name.`,
    );
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Resolution

function registeredManifests(
  manifests: Readonly<Record<string, QuantumManifest>>,
  registry: Registry,
): QuantumManifest[] {
  const names = Object.keys(registry.quanta);
  const missing = names.filter((name) => manifests[name] === undefined);
  if (missing.length > 0) {
    throw new ManifestError(
      `Registered quanta without a manifest: ${missing.join(', ')} (registry: ${names.join(', ')}; manifests in quanta/manifests.ts: ${Object.keys(manifests).join(', ')}). Add quanta/<name>/quantum.ts to quanta/manifests.ts or remove the entry from cdk.json context 'quanta'.`,
    );
  }
  for (const [key, manifest] of Object.entries(manifests)) {
    validateManifest(manifest);
    if (manifest.name !== key) {
      throw new ManifestError(`quanta/manifests.ts maps '${key}' to the manifest of '${manifest.name}'`);
    }
  }
  if (manifests[PLATFORM]?.signingKey === true) {
    throw new ManifestError(
      'The platform holds no signing key; signingKey is for the quantum that issues tokens',
    );
  }
  const ordered = [PLATFORM, ...names.filter((n) => n !== PLATFORM)];
  return ordered.map((name) => manifests[name] as QuantumManifest);
}

/** What every quantum's resolution needs to know about the others. */
class PlanContext {
  readonly byName: ReadonlyMap<string, QuantumManifest>;
  readonly #calls = new Map<string, FacadeCallPlan[]>();
  readonly #wiring = new Map<string, ReadonlyMap<string, Wiring>>();

  constructor(
    readonly registered: readonly QuantumManifest[],
    readonly registry: Registry,
  ) {
    this.byName = new Map(registered.map((m) => [m.name, m]));
    this.#validateRequests();
  }

  get prefix(): string {
    return this.registry.prefix;
  }

  names(quantum: string) {
    return namesOf(quantum, this.registry.prefix);
  }

  /** The registry's value, an unknown one meaning "the platform's" (undefined when that is unknown too). */
  placeOf(quantum: string, key: 'account' | 'region'): string | undefined {
    return this.registry.quanta[quantum]?.[key] ?? this.registry.quanta[PLATFORM]?.[key];
  }

  colocated(a: string, b: string): boolean {
    return (
      this.placeOf(a, 'account') === this.placeOf(b, 'account') &&
      this.placeOf(a, 'region') === this.placeOf(b, 'region')
    );
  }

  remote(quantum: string): boolean {
    return quantum !== PLATFORM && !this.colocated(quantum, PLATFORM);
  }

  answers(quantum: string): boolean {
    return (this.byName.get(quantum)?.requestHandlers ?? []).length > 0;
  }

  sends(quantum: string): boolean {
    return (this.byName.get(quantum)?.sends ?? []).length > 0;
  }

  /** Registered quanta that send requests to `target`. */
  sendersTo(target: string): string[] {
    return this.registered
      .filter((m) => (m.sends ?? []).some((s) => s.quantum === target))
      .map((m) => m.name);
  }

  /** Registered targets `sender` sends requests to. */
  targetsOf(sender: string): string[] {
    return (this.byName.get(sender)?.sends ?? []).map((s) => s.quantum).filter((q) => this.byName.has(q));
  }

  /** The quantum holding the signing key (the token issuer), if one is registered. */
  get issuer(): QuantumManifest | undefined {
    return this.registered.find((m) => m.signingKey === true);
  }

  /** Whether `m` answers requests and sends them; fails when it does either outside the platform's region. */
  channel(m: QuantumManifest): { answers: boolean; sends: boolean } {
    const answers = this.answers(m.name) && m.requestHandlers?.[0] !== undefined;
    const sends = this.sends(m.name) && m.replyHandler !== undefined;
    if ((answers || sends) && this.placeOf(m.name, 'region') !== this.placeOf(PLATFORM, 'region')) {
      throw new ManifestError(
        `Quantum '${m.name}' uses request/reply queues, which live in the platform's region '${this.placeOf(PLATFORM, 'region')}', but is registered in '${this.placeOf(m.name, 'region')}'; Lambda cannot consume an SQS queue in another region. Register it in the platform's region.`,
      );
    }
    return { answers, sends };
  }

  /** The facade calls of `m`, resolved once. */
  calls(m: QuantumManifest): FacadeCallPlan[] {
    let calls = this.#calls.get(m.name);
    if (calls === undefined) {
      calls = planCalls(m, this);
      this.#calls.set(m.name, calls);
    }
    return calls;
  }

  /** Each function's environment and permissions by manifest key, resolved once. */
  wiring(m: QuantumManifest): ReadonlyMap<string, Wiring> {
    let wiring = this.#wiring.get(m.name);
    if (wiring === undefined) {
      const channel = { ...this.channel(m), calls: this.calls(m) };
      wiring = new Map(Object.keys(m.functions).map((key) => [key, wiringOf(m, key, this, channel)]));
      this.#wiring.set(m.name, wiring);
    }
    return wiring;
  }

  /** A role of `quantum` whose name, before the region, is `name`; fails when IAM's limit cannot hold it. */
  role(quantum: string, name: string): RolePlan {
    const stem = roleStemOf(name);
    const region = this.placeOf(quantum, 'region');
    if (region !== undefined && roleNameOf(stem, region).length > MAX_ROLE_NAME_LENGTH) {
      throw new ManifestError(
        `Role name '${roleNameOf(stem, region)}' (quantum '${quantum}') is longer than IAM's ${MAX_ROLE_NAME_LENGTH} characters; shorten the prefix, the quantum or the function name`,
      );
    }
    return { quantum, stem };
  }

  /** The execution role of function `key` of `quantum`. */
  functionRole(quantum: string, key: string): RolePlan {
    return this.role(quantum, functionNameOf(this.prefix, quantum, key));
  }

  /**
   * Roles of every registered function holding a permission `matches` accepts: a resource policy
   * admits exactly the functions the plan grants, so the two cannot drift apart.
   */
  rolesWith(matches: (permission: Permission) => boolean): RolePlan[] {
    return this.registered.flatMap((m) =>
      [...this.wiring(m)]
        .filter(([, wiring]) => wiring.permissions.some(matches))
        .map(([key]) => this.functionRole(m.name, key)),
    );
  }

  /** Roles of the functions allowed to send to the queue `queue` held by `host`. */
  queueSenderRoles(queue: string, host: string): RolePlan[] {
    return this.rolesWith((p) => p.kind === 'sendQueue' && p.queue === queue && p.host === host);
  }

  /** Where `quantum` reads the id of the platform's HTTP or WebSocket API. */
  platformApiId(api: 'http' | 'webSocket', quantum: string): PlatformApiIdPlan {
    const names = this.names(PLATFORM);
    const parameter = api === 'http' ? names.httpApiIdParameter : names.webSocketApiIdParameter;
    if (this.colocated(quantum, PLATFORM)) return { parameter };
    const serves = api === 'http' ? 'serves routes of the platform HTTP API' : 'serves the WebSocket routes';
    const shared = sharedPlacement(this, quantum, serves);
    const region = this.placeOf(quantum, 'region');
    if (region !== shared.region) {
      throw new ManifestError(
        `Quantum '${quantum}' ${serves} but is registered in region '${region}', not the platform's '${shared.region}': its invoke permission names the API's id, which it reads from the platform's SSM parameter, and CloudFormation reads no parameter of another region. Register it in the platform's region.`,
      );
    }
    return { parameter, shared };
  }

  #validateRequests(): void {
    for (const sender of this.registered) {
      for (const send of sender.sends ?? []) {
        const target = this.byName.get(send.quantum);
        if (target === undefined) continue;
        const handled = new Set((target.requestHandlers ?? []).map((h) => h.type));
        const unhandled = send.types.filter((t) => !handled.has(t));
        if (unhandled.length > 0) {
          throw new ManifestError(
            `Quantum '${sender.name}' sends ${unhandled.join(', ')} to '${send.quantum}', which handles only: ${[...handled].join(', ') || 'no requests'}`,
          );
        }
      }
    }
  }
}

function visibilityOf(m: QuantumManifest, fn: string | undefined): number {
  const timeout = fn === undefined ? 10 : (m.functions[fn]?.timeoutSeconds ?? 10);
  return Math.max(30, 6 * timeout);
}

function planQuantum(m: QuantumManifest, ctx: PlanContext): QuantumPlan {
  const names = ctx.names(m.name);
  const isPlatform = m.name === PLATFORM;
  const remote = ctx.remote(m.name);
  ctx.channel(m); // fails first when it uses request/reply queues outside the platform's region

  // Queues this quantum consumes: its inboxes (in its stack) and its request/reply queues (hosted by the platform).
  const inboxes: QueuePlan[] = (m.subscriptions ?? []).map((s) => ({
    name: names.inbox(s.id),
    kind: 'inbox',
    host: m.name,
    consumer: { quantum: m.name, function: s.function },
    visibilityTimeoutSeconds: visibilityOf(m, s.function),
    deadLetterQueue: { name: names.dlq(names.inbox(s.id)), maxReceiveCount: s.maxReceiveCount ?? 5 },
    senders: [],
    senderRoles: [],
    consumerRole: ctx.functionRole(m.name, s.function),
  }));
  const workQueues: QueuePlan[] = (m.workQueues ?? []).map((w) => ({
    name: names.inbox(w.id),
    kind: 'work',
    host: m.name,
    consumer: { quantum: m.name, function: w.function },
    visibilityTimeoutSeconds: visibilityOf(m, w.function),
    deadLetterQueue: { name: names.dlq(names.inbox(w.id)), maxReceiveCount: w.maxReceiveCount ?? 5 },
    senders: [m.name],
    senderRoles: ctx.queueSenderRoles(names.inbox(w.id), m.name),
    consumerRole: ctx.functionRole(m.name, w.function),
  }));
  const channelQueues = channelQueuesOf(m, ctx);
  const consumed = [...inboxes, ...workQueues, ...channelQueues];

  const ownBus = remote && inboxes.length > 0 ? names.quantumBus : undefined;
  const rules: EventRulePlan[] = (m.subscriptions ?? []).map((s) => ({
    name: `${ctx.prefix}-${m.name}-${s.id}`,
    subscription: s.id,
    bus: ownBus ?? names.platformBus,
    pattern: s.pattern,
    inbox: names.inbox(s.id),
    consumer: s.function,
  }));

  const calls = ctx.calls(m);
  const schedules: SchedulePlan[] = (m.schedules ?? []).map((s) => {
    if (s.everySeconds < 60 || s.everySeconds % 60 !== 0) {
      throw new ManifestError(
        `Schedule '${s.id}' of '${m.name}' runs every ${s.everySeconds} s; EventBridge Scheduler needs a whole number of minutes (60, 120, …)`,
      );
    }
    return {
      id: s.id,
      name: `${ctx.prefix}-${m.name}-${s.id}`,
      function: s.function,
      everySeconds: s.everySeconds,
      deadLetterQueue: names.dlq(`${ctx.prefix}-${m.name}-schedule-${s.id}`),
    };
  });
  const outboxDeadLetterQueue =
    m.outboxRelay === undefined ? undefined : names.dlq(`${ctx.prefix}-${m.name}-outbox-relay`);

  const facade = planFacade(m, ctx);
  const functions = Object.entries(m.functions).map(([key, definition]) => {
    const triggers: Trigger[] = [];
    if (key === 'api' && hasApi(m)) {
      triggers.push({
        kind: 'httpRoutes',
        routes: httpRoutesOf(m, ctx).map((r) => r.routeKey),
        apiId: ctx.platformApiId('http', m.name),
      });
    }
    if (key === 'facade' && facade !== undefined) {
      triggers.push({ kind: 'facade', operations: facade.operations.map((o) => o.name) });
    }
    for (const queue of consumed.filter((q) => q.consumer.function === key)) {
      const subscription = (m.subscriptions ?? []).find((s) => names.inbox(s.id) === queue.name);
      const work = (m.workQueues ?? []).find((w) => names.inbox(w.id) === queue.name);
      triggers.push({
        kind: 'queue',
        queue: queue.name,
        batchSize: subscription?.batchSize ?? work?.batchSize ?? 10,
        maxBatchingWindowSeconds: subscription?.maxBatchingWindowSeconds ?? 0,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      });
    }
    if (key === m.outboxRelay && outboxDeadLetterQueue !== undefined) {
      triggers.push({
        kind: 'stream',
        table: names.table,
        filter: OUTBOX_STREAM_FILTER_PATTERN,
        batchSize: 25,
        retryAttempts: 10,
        maxRecordAgeSeconds: 24 * 3600,
        deadLetterQueue: outboxDeadLetterQueue,
      });
    }
    for (const s of schedules.filter((x) => x.function === key)) {
      triggers.push({ kind: 'schedule', schedule: s.id, everySeconds: s.everySeconds });
    }
    if (isPlatform && key === 'authorizer') triggers.push({ kind: 'httpAuthorizer' });
    if (isPlatform && key === 'wsAuthorizer') triggers.push({ kind: 'webSocketAuthorizer' });
    if (m.webSocket?.function === key) {
      triggers.push({
        kind: 'webSocketRoutes',
        routeKeys: [...m.webSocket.routes],
        apiId: ctx.platformApiId('webSocket', m.name),
      });
    }
    const { environment, permissions } = ctx.wiring(m).get(key) as Wiring;
    const plan: FunctionPlan = {
      key,
      id: `${m.name}.${key}`,
      name: functionNameOf(ctx.prefix, m.name, key),
      role: ctx.functionRole(m.name, key),
      entry: joinPath(m.dir, definition.entry),
      memoryMb: definition.memoryMb ?? 512,
      timeoutSeconds: definition.timeoutSeconds ?? 10,
      ...(definition.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: definition.reservedConcurrency }),
      triggers,
      environment,
      permissions,
    };
    return plan;
  });

  return {
    name: m.name,
    stackId: stackIdOf(m.name),
    role: isPlatform ? 'platform' : 'business',
    dir: m.dir,
    placement: {
      ...(ctx.registry.quanta[m.name]?.account === undefined
        ? {}
        : { account: ctx.registry.quanta[m.name]?.account }),
      ...(ctx.registry.quanta[m.name]?.region === undefined
        ? {}
        : { region: ctx.registry.quanta[m.name]?.region }),
      remote,
    },
    ...(hasApi(m) ? { basePath: basePathOf(m) } : {}),
    routes: (m.routes ?? []).map((r) => ({ method: r.method, path: r.path, access: r.access })),
    table: {
      name: names.table,
      partitionKey: 'pk',
      sortKey: 'sk',
      indexes: (m.table.indexes ?? []).map((i) => ({ ...i })),
      ttlAttribute: m.table.ttlAttribute ?? 'expiresAt',
      ...(m.outboxRelay === undefined ? {} : { stream: 'NEW_IMAGE' as const }),
    },
    functions,
    queues: isPlatform
      ? [...inboxes, ...workQueues, ...ctx.registered.flatMap((other) => channelQueuesOf(other, ctx))]
      : [...inboxes, ...workQueues],
    rules,
    ...(ownBus === undefined ? {} : { ownBus }),
    publishes: { source: names.eventSource, detailTypes: [...(m.publishes ?? [])] },
    ...(facade === undefined ? {} : { facade }),
    calls,
    schedules,
    alarms: [...(m.metricAlarms ?? [])],
    keys: { signing: m.signingKey === true, encryption: m.encryptionKey === true },
    ...(outboxDeadLetterQueue === undefined ? {} : { outboxDeadLetterQueue }),
  };
}

/** The request/reply queues `m` consumes (the platform's stack hosts them). */
function channelQueuesOf(m: QuantumManifest, ctx: PlanContext): QueuePlan[] {
  const names = ctx.names(m.name);
  const queues: QueuePlan[] = [];
  const requestFunction = m.requestHandlers?.[0]?.function;
  if (ctx.answers(m.name) && requestFunction !== undefined) {
    queues.push({
      name: names.requestQueue,
      kind: 'request',
      host: PLATFORM,
      consumer: { quantum: m.name, function: requestFunction },
      visibilityTimeoutSeconds: visibilityOf(m, requestFunction),
      deadLetterQueue: { name: names.dlq(names.requestQueue), maxReceiveCount: 5 },
      senders: ctx.sendersTo(m.name),
      senderRoles: ctx.queueSenderRoles(names.requestQueue, PLATFORM),
      consumerRole: ctx.functionRole(m.name, requestFunction),
    });
  }
  if (ctx.sends(m.name) && m.replyHandler !== undefined) {
    queues.push({
      name: names.replyQueue,
      kind: 'reply',
      host: PLATFORM,
      consumer: { quantum: m.name, function: m.replyHandler },
      visibilityTimeoutSeconds: visibilityOf(m, m.replyHandler),
      deadLetterQueue: { name: names.dlq(names.replyQueue), maxReceiveCount: 5 },
      senders: ctx.targetsOf(m.name),
      senderRoles: ctx.queueSenderRoles(names.replyQueue, PLATFORM),
      consumerRole: ctx.functionRole(m.name, m.replyHandler),
    });
  }
  return queues;
}

function hasApi(m: QuantumManifest): boolean {
  return m.functions.api !== undefined;
}

function planFacade(m: QuantumManifest, ctx: PlanContext): FacadePlan | undefined {
  const operations = m.facade ?? [];
  if (operations.length === 0) return undefined;
  const names = ctx.names(m.name);
  // A listed caller is admitted only when it is registered and calls this facade: one that does
  // not is given neither the URL nor the grant, so admitting its roles would only widen the door.
  const admitted = (caller: string) => (ctx.byName.get(caller)?.calls ?? []).includes(m.name);
  const callers = new Set(operations.flatMap((op) => op.callers).filter(admitted));
  const own = ctx.placeOf(m.name, 'account');
  const shareWithAccounts = [
    ...new Set(
      [...callers]
        .filter((c) => !ctx.colocated(c, m.name))
        .map((c) => ctx.placeOf(c, 'account'))
        .filter((a): a is string => a !== undefined && a !== own),
    ),
  ];
  return {
    apiName: `${ctx.prefix}-${m.name}-facade`,
    stage: FACADE_STAGE,
    target: `${m.name}.facade`,
    urlParameter: names.facadeUrlParameter,
    shareWithAccounts,
    operations: operations.map((op) => ({
      name: op.name,
      resourcePath: `/ops/${op.name}`,
      callers: op.callers.filter(admitted),
      callerRoles: ctx.rolesWith(
        (p) => p.kind === 'invokeFacade' && p.quantum === m.name && p.operations.includes(op.name),
      ),
    })),
  };
}

function planCalls(m: QuantumManifest, ctx: PlanContext): FacadeCallPlan[] {
  return (m.calls ?? [])
    .filter((target) => ctx.byName.has(target))
    .map((target) => {
      const operations = (ctx.byName.get(target)?.facade ?? [])
        .filter((op) => op.callers.includes(m.name))
        .map((op) => op.name);
      if (operations.length === 0) {
        throw new ManifestError(
          `Quantum '${m.name}' calls the facade of '${target}', but no operation of '${target}' lists '${m.name}' among its callers`,
        );
      }
      const urlParameter = ctx.names(target).facadeUrlParameter;
      if (ctx.colocated(m.name, target)) return { target, operations, urlParameter };
      const account = ctx.placeOf(target, 'account');
      const region = ctx.placeOf(target, 'region');
      if (account === undefined || region === undefined) {
        throw new ManifestError(
          `Quantum '${m.name}' calls the facade of '${target}', which is in another account or region; the registry must give '${target}' (or the platform) an account and a region, so that '${m.name}' can read its shared URL parameter by ARN (got account ${String(account)}, region ${String(region)})`,
        );
      }
      return { target, operations, urlParameter, shared: { account, region } };
    });
}

/** What a function is given: its variables and its permissions. */
interface Wiring {
  readonly environment: Record<string, EnvValue>;
  readonly permissions: Permission[];
}

/** A function's environment and permissions: the one place that decides what each function is given. */
function wiringOf(
  m: QuantumManifest,
  key: string,
  ctx: PlanContext,
  channel: { answers: boolean; sends: boolean; calls: readonly FacadeCallPlan[] },
): Wiring {
  const names = ctx.names(m.name);
  const registry = ctx.registry;
  const env: Record<string, EnvValue> = {
    [ENV.quantum]: m.name,
    [ENV.tableName]: names.table,
    [ENV.eventBusName]: names.platformBus,
    [ENV.eventSource]: names.eventSource,
    [ENV.ttlAttribute]: m.table.ttlAttribute ?? 'expiresAt',
    [ENV.authIssuer]: registry.auth.issuer,
    [ENV.authAudience]: registry.auth.audience,
    [ENV.accessTokenTtlSeconds]: String(registry.auth.accessTokenTtlSeconds),
    [ENV.refreshTokenTtlSeconds]: String(registry.auth.refreshTokenTtlSeconds),
    [ENV.adminEmails]: registry.adminEmails.join(','),
    POWERTOOLS_SERVICE_NAME: m.name,
    POWERTOOLS_METRICS_NAMESPACE: 'Quanta',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // No NODE_OPTIONS=--enable-source-maps: ~50 ms per cold start; `quanta:environment` opts in (D59).
    ...m.functions[key]?.environment,
  };
  const isPlatform = m.name === PLATFORM;
  // The HTTP authorizer only checks the denylist; every other function may write its table.
  const permissions: Permission[] = [
    {
      kind: 'table',
      table: names.table,
      access: isPlatform && key === 'authorizer' ? 'read' : 'readWrite',
    },
  ];
  if (m.signingKey === true && key === 'api') {
    // `api` issues tokens and serves the JWKS: the only function that needs the keys.
    env[ENV.signingKeyArns] = { ref: 'signingKeys', quantum: m.name };
    permissions.push({ kind: 'signingKey', quantum: m.name });
  }
  if (m.encryptionKey === true) {
    // Which function encrypts or decrypts is not in the manifest, so every function of the quantum may.
    env[ENV.encryptionKeyArn] = { ref: 'encryptionKey', quantum: m.name };
    permissions.push({ kind: 'encryptionKey', quantum: m.name });
  }
  if (key === m.outboxRelay) {
    env[ENV.eventBusName] = { ref: 'eventBus', bus: names.platformBus };
    permissions.push({ kind: 'putEvents', bus: names.platformBus, source: names.eventSource });
  }
  const issuer = ctx.issuer;
  if (isPlatform && key === 'authorizer' && issuer !== undefined) {
    env[ENV.jwksUri] = { ref: 'jwksUri', path: jwksPathOf(issuer) };
  }
  if (channel.answers && key === m.requestHandlers?.[0]?.function) {
    // Each request names its replyTo, but the handler sends only to the reply queues it was given.
    for (const sender of ctx.sendersTo(m.name)) {
      const reply = ctx.names(sender).replyQueue;
      env[replyQueueUrlVar(sender)] = { ref: 'queueUrl', queue: reply, host: PLATFORM };
      permissions.push({ kind: 'sendQueue', queue: reply, host: PLATFORM });
    }
  }
  if (channel.sends) {
    // Which function sends a request is not in the manifest, so every function of the sender may.
    env[ENV.replyQueueUrl] = { ref: 'queueUrl', queue: names.replyQueue, host: PLATFORM };
    for (const target of ctx.targetsOf(m.name)) {
      const request = ctx.names(target).requestQueue;
      env[requestQueueUrlVar(target)] = { ref: 'queueUrl', queue: request, host: PLATFORM };
      permissions.push({ kind: 'sendQueue', queue: request, host: PLATFORM });
    }
  }
  // Which function calls a facade is not in the manifest, so every function of the caller may.
  for (const call of channel.calls) {
    env[facadeUrlVar(call.target)] = { ref: 'facadeUrl', quantum: call.target };
    permissions.push({ kind: 'invokeFacade', quantum: call.target, operations: call.operations });
  }
  // Which function sends work is not in the manifest, so every function of the quantum may.
  for (const work of m.workQueues ?? []) {
    const queue = names.inbox(work.id);
    env[workQueueUrlVar(work.id)] = { ref: 'queueUrl', queue, host: m.name };
    permissions.push({ kind: 'sendQueue', queue, host: m.name });
  }
  if (m.webSocket !== undefined) {
    // Which function pushes frames is not in the manifest, so every function of the quantum may.
    env[ENV.webSocketManagementUrl] = { ref: 'webSocketManagementUrl' };
    permissions.push({ kind: 'manageConnections' });
  }
  if (isPlatform && key === 'api') {
    // Tickets carry the URL to connect to.
    env[ENV.webSocketUrl] = { ref: 'webSocketUrl' };
  }
  // The registry's per-quantum overrides (`quanta:environment`) win over everything.
  Object.assign(env, registry.environment[m.name]);
  return { environment: env, permissions };
}

function jwksPathOf(issuer: QuantumManifest): string {
  const declared = (issuer.routes ?? []).find((r) => r.method === 'GET' && r.path.endsWith(JWKS_PATH));
  return declared?.path ?? `${basePathOf(issuer)}${JWKS_PATH}`;
}

/**
 * The HTTP API routes of one quantum: `base` and `base/{proxy+}` behind the authorizer, for `ANY`
 * method or, when the API has CORS, for each method a route can declare (API Gateway routes a
 * preflight to an `ANY` route, whose authorizer answers 401 to it, since browsers send preflights
 * without credentials; with no `OPTIONS` route, API Gateway answers the preflight itself); plus its
 * public routes.
 */
function httpRoutesOf(m: QuantumManifest, ctx: PlanContext): HttpRoutePlan[] {
  if (!hasApi(m)) return [];
  const base = basePathOf(m);
  const target = `${m.name}.api`;
  const of = (method: HttpRoutePlan['method'], path: string, authorized: boolean): HttpRoutePlan => ({
    routeKey: `${method} ${path}`,
    method,
    path,
    quantum: m.name,
    target,
    authorized,
  });
  const methods: readonly HttpRoutePlan['method'][] =
    ctx.registry.cors === undefined ? ['ANY'] : DEFAULT_CORS_ALLOW_METHODS;
  return [
    ...methods.map((method) => of(method, base, true)),
    ...methods.map((method) => of(method, `${base}/{proxy+}`, true)),
    ...(m.routes ?? []).filter((r) => r.access === 'public').map((r) => of(r.method, r.path, false)),
  ];
}

function planPlatform(ctx: PlanContext): PlatformPlan {
  const names = ctx.names(PLATFORM);
  const routes: HttpRoutePlan[] = [];
  const shapes = new Map<string, string>();
  const bases = new Map<string, string>();
  for (const m of ctx.registered) {
    if (!hasApi(m)) continue;
    const base = basePathOf(m);
    const clash = bases.get(base);
    if (clash !== undefined) {
      throw new ManifestError(
        `Quanta '${clash}' and '${m.name}' both use the base path '${base}'; base paths must be unique`,
      );
    }
    bases.set(base, m.name);
    for (const route of httpRoutesOf(m, ctx)) {
      // API Gateway's CreateRoute rejects two routes of the same key (parameter names aside; a
      // greedy `{proxy+}` is another key than `{id}`).
      const shape = `${route.method} ${route.path.replace(/\{[^}+]*(\+?)\}/g, '{$1}')}`;
      const owner = shapes.get(shape);
      if (owner !== undefined) {
        throw new ManifestError(
          `Route '${route.routeKey}' of quantum '${m.name}' conflicts with a route of quantum '${owner}'`,
        );
      }
      shapes.set(shape, m.name);
      routes.push(route);
    }
  }
  const wsQuanta = ctx.registered.filter((m) => m.webSocket !== undefined);
  if (wsQuanta.length > 1) {
    throw new ManifestError(
      `Only one quantum may serve the WebSocket routes; ${wsQuanta.map((m) => m.name).join(', ')} declare webSocket`,
    );
  }
  const ws = wsQuanta[0];
  const issuer = ctx.issuer;
  return {
    quantum: PLATFORM,
    bus: names.platformBus,
    httpApi: {
      name: `${ctx.prefix}-http-api`,
      urlParameter: names.httpApiUrlParameter,
      idParameter: names.httpApiIdParameter,
      shareWithAccounts: sharedWith(
        ctx,
        ctx.registered.filter((m) => hasApi(m)).map((m) => m.name),
      ),
      authorizer: `${PLATFORM}.authorizer`,
      authorizerCacheTtlSeconds: ctx.registry.authorizerCacheTtlSeconds,
      routes,
      ...(issuer === undefined ? {} : { jwksPath: jwksPathOf(issuer) }),
      ...(ctx.registry.cors === undefined ? {} : { cors: ctx.registry.cors }),
    },
    webSocketApi: {
      name: `${ctx.prefix}-websocket`,
      stage: WEBSOCKET_STAGE,
      authorizer: `${PLATFORM}.wsAuthorizer`,
      ...(ws?.webSocket === undefined
        ? {}
        : { target: { quantum: ws.name, function: ws.webSocket.function } }),
      routeKeys: ws?.webSocket === undefined ? [] : [...ws.webSocket.routes],
      urlParameter: names.webSocketUrlParameter,
      idParameter: names.webSocketApiIdParameter,
      ...(ws === undefined || ctx.colocated(ws.name, PLATFORM)
        ? {}
        : { shared: sharedPlacement(ctx, ws.name, 'serves the WebSocket routes') }),
    },
    publishers: ctx.registered
      .filter((m) => (m.publishes ?? []).length > 0)
      .map((m) => {
        const source = ctx.names(m.name).eventSource;
        const roles = ctx.rolesWith(
          (p) => p.kind === 'putEvents' && p.bus === names.platformBus && p.source === source,
        );
        return { quantum: m.name, source, roles };
      }),
    forwardings: ctx.registered
      .filter((m) => ctx.remote(m.name) && (m.subscriptions ?? []).length > 0)
      .map((m) => ({
        quantum: m.name,
        ruleName: `${ctx.prefix}-forward-${m.name}`,
        role: ctx.role(PLATFORM, `${ctx.prefix}-${PLATFORM}-forward-${m.name}`),
        targetBus: ctx.names(m.name).quantumBus,
        patterns: (m.subscriptions ?? []).map((s) => s.pattern),
        deadLetterQueue: names.dlq(`${ctx.prefix}-platform-forward-${m.name}`),
      })),
  };
}

/** The platform's account and region, which a quantum elsewhere needs to read a shared parameter by ARN. */
function sharedPlacement(
  ctx: PlanContext,
  reader: string,
  serves: string,
): { account: string; region: string } {
  const account = ctx.placeOf(PLATFORM, 'account');
  const region = ctx.placeOf(PLATFORM, 'region');
  if (account === undefined || region === undefined) {
    throw new ManifestError(
      `Quantum '${reader}' ${serves} from another account or region than the platform; the registry must give the platform an account and a region, so that '${reader}' can read the platform's shared parameters (the API's id and URL) by ARN`,
    );
  }
  return { account, region };
}

/** The accounts, other than the platform's, of those of `readers` that are not beside the platform. */
function sharedWith(ctx: PlanContext, readers: readonly string[]): string[] {
  const own = ctx.placeOf(PLATFORM, 'account');
  return [
    ...new Set(
      readers
        .filter((r) => !ctx.colocated(r, PLATFORM))
        .map((r) => ctx.placeOf(r, 'account'))
        .filter((a): a is string => a !== undefined && a !== own),
    ),
  ];
}

/** `dir/entry` without node:path, so the plan stays importable anywhere. */
function joinPath(dir: string, entry: string): string {
  return `${dir.replace(/\/+$/, '')}/${entry.replace(/^\.\//, '')}`;
}
