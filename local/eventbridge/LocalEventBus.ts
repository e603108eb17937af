import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type {
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { EventPatternMatcher } from './compilePattern';
import { compilePattern } from './compilePattern';
import { createEventBridgeRequestListener } from './createEventBridgeRequestListener';
import type { DeliveryOutcome, QueueSender, RetryBackoff } from './deliverToTarget';
import { deliverToTarget } from './deliverToTarget';
import { EventArchive } from './EventArchive';
import type { EventBridgeEvent } from './EventBridgeEvent';
import { formatEventTime, isJsonObject } from './EventBridgeEvent';
import {
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
} from './errors';
import { indexEvent } from './indexEvent';
import {
  checkPutEventsEntry,
  DEFAULT_MAX_ENTRIES_BYTES,
  validatePutEventsRequest,
} from './putEventsValidation';

/** The bus every account has; `PutEvents` entries without `EventBusName` go to it. */
const DEFAULT_BUS_NAME = 'default';

/** Options of {@link LocalEventBus}. */
export interface LocalEventBusOptions {
  /** How events reach SQS targets and DLQs (`SqsQueueSender` over fauxqs). */
  readonly queueSender: QueueSender;
  /** Account written in events and ARNs. @default '000000000000' */
  readonly account?: string;
  /** Region written in events and ARNs. @default 'us-east-1' */
  readonly region?: string;
  /** Archive of accepted events. @default an in-memory archive */
  readonly archive?: EventArchive;
  /** Retries after a failed delivery attempt, for targets that do not set theirs. @default 2 */
  readonly maximumRetryAttempts?: number;
  /** Delay before the first retry, doubled on each next one (with jitter). @default 50 */
  readonly retryBaseDelayMs?: number;
  /** Longest delay between retries. @default 1000 */
  readonly retryMaxDelayMs?: number;
  /** Limit on the summed size of a `PutEvents` request's entries. @default 262144 (256 KB) */
  readonly maxEntriesBytes?: number;
  /** Reports events that could not be delivered. @default console */
  readonly logger?: EventBusLogger;
  /** Current time. @default () => new Date() */
  readonly clock?: () => Date;
  /** Told about each event `putEvents` accepts, with the names of the rules it matched (the developer console). */
  readonly onPut?: (put: EventBusPut) => void;
}

/** An event the bus accepted and the rules it matched. */
export interface EventBusPut {
  readonly busName: string;
  readonly event: EventBridgeEvent;
  readonly rules: readonly string[];
}

/** An SQS queue a rule delivers matching events to (the event JSON is the message body). */
export interface SqsTarget {
  /** Target id, unique within the rule. */
  readonly id: string;
  /** URL of the queue. */
  readonly queueUrl: string;
  /** URL of the queue that receives events whose delivery failed for good. @default none */
  readonly deadLetterQueueUrl?: string;
  /** Retries after the first failed attempt. @default the bus's `maximumRetryAttempts` */
  readonly maximumRetryAttempts?: number;
}

/** A rule as the bus keeps it. */
export interface EventBusRule {
  readonly name: string;
  readonly busName: string;
  readonly arn: string;
  readonly matcher: EventPatternMatcher;
  readonly targets: readonly (SqsTarget & { readonly arn: string })[];
}

/** An event neither its target nor the target's DLQ accepted; kept so nothing is silently lost. */
export interface UndeliveredEvent {
  readonly event: EventBridgeEvent;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly outcome: DeliveryOutcome;
}

/** Where the bus reports what it cannot hand back to a caller (failed deliveries, archive writes). */
export interface EventBusLogger {
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
  error(message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** Options of {@link LocalEventBus.replay}. */
export interface ReplayOptions {
  /** Replay only events archived from this bus. @default every bus */
  readonly busName?: string;
  /** Written in the `replay-name` field of replayed events. @default 'local-replay' */
  readonly replayName?: string;
}

const CONSOLE_LOGGER: EventBusLogger = {
  warn: (message, details) => console.warn(message, details ?? ''),
  error: (message, details) => console.error(message, details ?? ''),
};

const MANDATORY_TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

/**
 * The local cloud's EventBridge: named buses, rules with the full pattern language delivering to SQS
 * queues (with retries and DLQs), an archive with replay, and an HTTP endpoint speaking the AWS JSON
 * protocol so the real `EventBridgeClient` can `PutEvents` to it.
 *
 * `putEvents` answers before delivery, like AWS; `drain()` waits until every delivery has finished.
 *
 * @example
 * const bus = new LocalEventBus({ queueSender: new SqsQueueSender(sqsClient) });
 * bus.putRule('default', 'orders-product-renamed', { source: ['quanta.catalog'] }, [
 *   { id: 'inbox', queueUrl, deadLetterQueueUrl },
 * ]);
 * const { url } = await bus.listen(); // EventBridgeClient({ endpoint: url })
 */
export class LocalEventBus {
  readonly #buses = new Map<string, Map<string, EventBusRule>>([[DEFAULT_BUS_NAME, new Map()]]);
  /** Per bus, the union of its rules' relevant paths; dropped whenever its rules change. */
  readonly #relevantPaths = new Map<string, ReadonlySet<string>>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #undelivered: UndeliveredEvent[] = [];
  readonly #sender: QueueSender;
  readonly #account: string;
  readonly #region: string;
  readonly #archive: EventArchive;
  readonly #defaultRetries: number;
  readonly #backoff: RetryBackoff;
  readonly #maxEntriesBytes: number;
  readonly #logger: EventBusLogger;
  readonly #clock: () => Date;
  readonly #onPut: ((put: EventBusPut) => void) | undefined;
  #server: Server | undefined;

  constructor(options: LocalEventBusOptions) {
    this.#sender = options.queueSender;
    this.#account = options.account ?? '000000000000';
    this.#region = options.region ?? 'us-east-1';
    this.#archive = options.archive ?? new EventArchive();
    this.#defaultRetries = options.maximumRetryAttempts ?? 2;
    this.#backoff = {
      baseDelayMs: options.retryBaseDelayMs ?? 50,
      maxDelayMs: options.retryMaxDelayMs ?? 1000,
    };
    this.#maxEntriesBytes = options.maxEntriesBytes ?? DEFAULT_MAX_ENTRIES_BYTES;
    this.#logger = options.logger ?? CONSOLE_LOGGER;
    this.#clock = options.clock ?? (() => new Date());
    this.#onPut = options.onPut;
  }

  /** The archive of accepted events. */
  get archive(): EventArchive {
    return this.#archive;
  }

  /** Events that reached neither their target nor a DLQ. */
  get undelivered(): readonly UndeliveredEvent[] {
    return this.#undelivered;
  }

  /** The ARN of a bus. */
  busArn(busName: string): string {
    return `arn:aws:events:${this.#region}:${this.#account}:event-bus/${busName}`;
  }

  /**
   * Creates a custom bus (`default` always exists).
   * @throws {EventBridgeResourceAlreadyExistsError} when it exists.
   */
  createEventBus(name: string): string {
    if (this.#buses.has(name))
      throw new EventBridgeResourceAlreadyExistsError(`Event bus ${name} already exists.`);
    this.#buses.set(name, new Map());
    return this.busArn(name);
  }

  /**
   * Creates or replaces a rule on a bus, like `PutRule` + `PutTargets`. Returns the rule ARN.
   *
   * @param pattern the event pattern, as an object or JSON text.
   * @throws {InvalidEventPatternError} when EventBridge would reject the pattern.
   * @throws {EventBridgeResourceNotFoundError} when the bus does not exist.
   * @throws {EventBridgeValidationError} when two targets share an id.
   */
  putRule(busName: string, ruleName: string, pattern: unknown, targets: readonly SqsTarget[]): string {
    const rules = this.#rulesOf(busName);
    const matcher = compilePattern(pattern);
    const ids = new Set<string>();
    const resolved = targets.map((target) => {
      if (ids.has(target.id))
        throw new EventBridgeValidationError(`Target id ${target.id} is used twice in rule ${ruleName}.`);
      ids.add(target.id);
      return { ...target, arn: this.#queueArn(target.queueUrl) };
    });
    const arn = `arn:aws:events:${this.#region}:${this.#account}:rule/${
      busName === DEFAULT_BUS_NAME ? ruleName : `${busName}/${ruleName}`
    }`;
    rules.set(ruleName, { name: ruleName, busName, arn, matcher, targets: resolved });
    this.#relevantPaths.delete(busName);
    return arn;
  }

  /**
   * Deletes a rule.
   * @throws {EventBridgeResourceNotFoundError} when the bus or the rule does not exist.
   */
  deleteRule(busName: string, ruleName: string): void {
    this.#relevantPaths.delete(busName);
    if (!this.#rulesOf(busName).delete(ruleName)) {
      throw new EventBridgeResourceNotFoundError(`Rule ${ruleName} does not exist on EventBus ${busName}.`);
    }
  }

  /** The rules of a bus. */
  listRules(busName: string): readonly EventBusRule[] {
    return [...this.#rulesOf(busName).values()];
  }

  /**
   * `PutEvents`: validates the request and each entry as AWS does, archives accepted events and
   * starts delivering them to the targets of matching rules, without waiting for delivery.
   * An entry for a bus that does not exist is accepted and delivered nowhere, as in AWS.
   *
   * @throws {EventBridgeValidationError} when the request as a whole is invalid (not 1–10 entries, too large).
   */
  putEvents(entries: readonly PutEventsRequestEntry[]): PutEventsResponse {
    validatePutEventsRequest(entries, this.#maxEntriesBytes);
    const results: PutEventsResultEntry[] = [];
    let failed = 0;
    for (const entry of entries) {
      const check = checkPutEventsEntry(entry);
      if (!check.ok) {
        failed++;
        results.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
        continue;
      }
      const now = this.#clock();
      const event: EventBridgeEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': check.detailType,
        source: check.source,
        account: this.#account,
        time: formatEventTime(
          entry.Time !== undefined && !Number.isNaN(entry.Time.getTime()) ? entry.Time : now,
        ),
        region: this.#region,
        resources: [...(entry.Resources ?? [])],
        detail: check.detail,
      };
      const busName = busNameOf(entry.EventBusName);
      results.push({ EventId: event.id });
      if (!this.#buses.has(busName)) {
        const details = { eventId: event.id, busName };
        this.#logger.warn(
          'PutEvents: no such event bus; the event is accepted and dropped, as in AWS',
          details,
        );
        continue;
      }
      this.#archive.append(busName, event, now);
      const matched = this.#dispatch(busName, event);
      this.#onPut?.({ busName, event, rules: matched ?? [] });
    }
    return { FailedEntryCount: failed, Entries: results };
  }

  /**
   * `TestEventPattern`: whether `event` matches `eventPattern`.
   *
   * @throws {InvalidEventPatternError} when the pattern is invalid.
   * @throws {EventBridgeValidationError} `Parameter Event is not valid.` when the event is not a JSON
   *   object with `id`, `account`, `source`, `time`, `region` and `detail-type`.
   */
  testEventPattern(eventPattern: unknown, event: unknown): boolean {
    const matcher = compilePattern(eventPattern);
    let parsed = event;
    if (typeof event === 'string') {
      try {
        parsed = JSON.parse(event);
      } catch (error) {
        throw new EventBridgeValidationError('Parameter Event is not valid.', { cause: error });
      }
    }
    if (!isJsonObject(parsed) || MANDATORY_TEST_EVENT_FIELDS.some((field) => !(field in parsed))) {
      throw new EventBridgeValidationError('Parameter Event is not valid.');
    }
    return matcher.matches(parsed);
  }

  /**
   * Sends the archived events accepted between `from` and `to` (inclusive) through the rules of their
   * bus again, with `replay-name` set, like an EventBridge replay. Replayed events are not archived again.
   * Returns how many events were replayed; delivery continues in the background (see `drain`).
   */
  replay(from: Date, to: Date, options: ReplayOptions = {}): number {
    const records = this.#archive.between(from, to, options.busName);
    const replayName = options.replayName ?? 'local-replay';
    for (const record of records) {
      if (!this.#buses.has(record.busName)) continue;
      this.#dispatch(record.busName, { ...record.event, 'replay-name': replayName });
    }
    return records.length;
  }

  /** Resolves when every delivery started so far (and any started meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) {
      await Promise.all([...this.#inFlight]);
    }
  }

  /**
   * Serves the AWS JSON protocol over HTTP. Resolves with the endpoint URL to give `EventBridgeClient`.
   * @param port @default 0 (any free port)
   * @param host @default '127.0.0.1'
   */
  async listen(port = 0, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
    if (this.#server !== undefined) throw new Error('The event bus is already listening.');
    const server = createServer(
      createEventBridgeRequestListener(
        {
          putEvents: (entries) => this.putEvents(entries),
          testEventPattern: (pattern, event) => this.testEventPattern(pattern, event),
        },
        { onInternalError: (error) => this.#logger.error('EventBridge endpoint: internal error', { error }) },
      ),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const address = server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    return { url: `http://${host}:${boundPort}`, port: boundPort };
  }

  /** Stops the HTTP endpoint (if listening), waits for deliveries and for the archive's file writes. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
    }
    await this.drain();
    await this.#archive.flush();
  }

  #rulesOf(busName: string): Map<string, EventBusRule> {
    const rules = this.#buses.get(busName);
    if (rules === undefined)
      throw new EventBridgeResourceNotFoundError(`Event bus ${busName} does not exist.`);
    return rules;
  }

  /** Delivers `event` to its rules' targets; returns the matched rules' names when someone listens. */
  #dispatch(busName: string, event: EventBridgeEvent): string[] | undefined {
    const rules = this.#buses.get(busName);
    if (rules === undefined || rules.size === 0) return undefined;
    // One flattening of the event, limited to what some rule reads, serves every rule of the bus.
    let relevantPaths = this.#relevantPaths.get(busName);
    if (relevantPaths === undefined) {
      relevantPaths = new Set([...rules.values()].flatMap((rule) => [...rule.matcher.relevantPaths]));
      this.#relevantPaths.set(busName, relevantPaths);
    }
    const index = indexEvent(event, relevantPaths);
    const body = JSON.stringify(event);
    const matched: string[] | undefined = this.#onPut === undefined ? undefined : [];
    for (const rule of rules.values()) {
      if (!rule.matcher.matchesIndex(index)) continue;
      matched?.push(rule.name);
      for (const target of rule.targets) this.#deliver(rule, target, event, body);
    }
    return matched;
  }

  #deliver(
    rule: EventBusRule,
    target: EventBusRule['targets'][number],
    event: EventBridgeEvent,
    body: string,
  ): void {
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        deliverToTarget(
          this.#sender,
          {
            body,
            queueUrl: target.queueUrl,
            ...(target.deadLetterQueueUrl === undefined
              ? {}
              : { deadLetterQueueUrl: target.deadLetterQueueUrl }),
            ruleArn: rule.arn,
            targetArn: target.arn,
            maximumRetryAttempts: target.maximumRetryAttempts ?? this.#defaultRetries,
          },
          this.#backoff,
        ),
      )
      .then((outcome) => this.#record(rule, target, event, outcome))
      .catch((error: unknown) =>
        this.#logger.error('EventBridge: delivery bookkeeping failed', { eventId: event.id, error }),
      )
      .finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
  }

  #record(rule: EventBusRule, target: SqsTarget, event: EventBridgeEvent, outcome: DeliveryOutcome): void {
    if (outcome.kind === 'delivered') return;
    const details = {
      eventId: event.id,
      rule: rule.arn,
      target: target.id,
      attempts: outcome.attempts,
      errorCode: outcome.error.errorCode,
      error: outcome.error.message,
    };
    if (outcome.kind === 'dead-lettered') {
      this.#logger.warn('EventBridge: delivery failed, event sent to the target DLQ', details);
      return;
    }
    this.#undelivered.push({ event, ruleArn: rule.arn, targetId: target.id, outcome });
    this.#logger.error('EventBridge: event could not be delivered to its target nor to a DLQ', {
      ...details,
      deadLetterError: outcome.deadLetterError?.message,
    });
  }

  // The ARN AWS would show for the queue; local queue URLs end with `/<account>/<name>`.
  #queueArn(queueUrl: string): string {
    if (!URL.canParse(queueUrl))
      throw new EventBridgeValidationError(`Target queue URL ${queueUrl} is not a URL.`);
    const segments = new URL(queueUrl).pathname.split('/').filter((s) => s !== '');
    const name = segments.at(-1) ?? queueUrl;
    const account = segments.length >= 2 ? (segments.at(-2) ?? this.#account) : this.#account;
    return `arn:aws:sqs:${this.#region}:${account}:${name}`;
  }
}

// `EventBusName` may be a name or an ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`).
function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS_NAME;
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at !== -1 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}
