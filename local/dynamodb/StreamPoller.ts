import type {
  _Record,
  DynamoDBStreamsClient,
  Shard,
  ShardIteratorType,
  StreamDescription,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { batchItemFailuresOf } from '../lambda/batchItemFailuresOf';
import { LambdaRuntimeError } from '../lambda/errors';
import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import { pauseUnlessAborted } from '../lambda/pauseUnlessAborted';
import { StreamPollerError } from './errors';
import type { StreamEventRecord, StreamRecordFilter } from './StreamEventRecord';
import type { StreamViewType } from './TableSpec';
import type { TtlDeletionLog } from './TtlDeletionLog';
import { toWireImage } from './toWireAttributeValue';

/** What the on-failure destination receives when a batch exhausted its retries (AWS's record, plus the records). */
export interface StreamBatchFailure {
  readonly functionId: string;
  readonly condition: 'RetryAttemptsExhausted';
  /** Invocations made for this batch. */
  readonly approximateInvokeCount: number;
  /** Why the last attempt failed (function error or invalid partial response). */
  readonly reason: string;
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord?: string;
    readonly approximateArrivalOfLastRecord?: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  /** The discarded records. */
  readonly records: readonly StreamEventRecord[];
}

/** Options of {@link StreamPoller}. */
export interface StreamPollerOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly functionId: string;
  readonly invoker: FunctionInvoker;
  /** `awsRegion` of the records. @default 'eu-west-1' */
  readonly region?: string;
  /** Most records per invocation. @default 100 (AWS's default for DynamoDB streams) */
  readonly batchSize?: number;
  /** Where a new mapping starts reading. @default 'TRIM_HORIZON' */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Filter criteria: records it rejects are skipped (and count as processed), as on AWS. @default all pass */
  readonly filter?: StreamRecordFilter;
  /** Read `batchItemFailures` from the response (`FunctionResponseTypes: ['ReportBatchItemFailures']`). @default true */
  readonly reportBatchItemFailures?: boolean;
  /** Retries of a failing batch before it is sent to `onFailure` and skipped. @default 3 */
  readonly maxRetryAttempts?: number;
  /** On-failure destination. @default logs the failure */
  readonly onFailure?: (failure: StreamBatchFailure) => void | Promise<void>;
  /**
   * Least time from one poll (`GetRecords`) of a shard to the next, with or without records: Lambda
   * polls each shard at a base rate of 4 times a second, and so does this poller, so records that
   * arrive during an invocation or a pause reach the function in one batch (D62). @default 250
   */
  readonly pollIntervalMs?: number;
  /**
   * Time from one poll of a shard to the next once its polls have found nothing for `idleAfterMs`
   * (decision D66): an idle local cloud does not poll every stream four times a second.
   * {@link StreamPoller.wake} brings the next poll forward, back to the base rate. @default 1000
   */
  readonly idlePollIntervalMs?: number;
  /** How long a shard's polls find nothing before it is polled at `idlePollIntervalMs`. @default 5000 */
  readonly idleAfterMs?: number;
  /** Pause before retrying a failed batch. @default 200 */
  readonly retryDelayMs?: number;
  /** Marks TTL deletions (see {@link TtlDeletionLog}). @default none */
  readonly ttlDeletions?: TtlDeletionLog;
  /** Poller diagnostics. @default console.error */
  readonly log?: (message: string) => void;
}

/**
 * The event name DynamoDB Local (release 2026-05-28) gives the stream records of the deletions its
 * own TTL makes: it deletes expired items by itself within about a second, and names the operation
 * with its Java SDK's placeholder for an unknown enum value, without `userIdentity`. On AWS a TTL
 * deletion is a `REMOVE` by the service principal, so that is what functions receive.
 */
const ENGINE_TTL_DELETION = 'UNKNOWN_TO_SDK_VERSION';

interface ShardState {
  readonly shardId: string;
  readonly parentShardId: string | undefined;
  iterator: string | undefined;
  /** Where to (re)open an iterator when there is none. */
  resumeAfter: string | undefined;
  initialPosition: ShardIteratorType;
  /** Fetched, filtered, not yet successfully processed records (the checkpoint is just before pending[0]). */
  pending: StreamEventRecord[];
  exhausted: boolean;
  done: boolean;
  attempts: number;
  /** When the shard may be polled again (epoch ms). */
  nextPollAt: number;
  /** When it was last polled (epoch ms; 0 before its first poll). */
  lastPolledAt: number;
  /** When a poll last found records, or when the shard was found (epoch ms). */
  lastRecordsAt: number;
  /** The last poll found no new records. */
  caughtUp: boolean;
}

/**
 * A DynamoDB stream -> function event source mapping, over the DynamoDB Streams API. Per shard,
 * in order (parents before children), it reads up to `batchSize` records, drops those the filter
 * rejects, and invokes the function with a `DynamoDBStreamEvent`. Then, as on AWS:
 * - success (or a partial response listing nothing): checkpoint after the batch;
 * - `batchItemFailures` naming sequence numbers: checkpoint just before the lowest one and retry
 *   from there (records after it that succeeded are delivered again);
 * - a thrown error, a timeout or an invalid partial response: retry the whole batch.
 * Retries count per batch (they restart when the checkpoint moves). After `maxRetryAttempts`
 * retries the remaining records of the batch go to `onFailure` and the shard moves on, like a
 * mapping with `MaximumRetryAttempts` and an on-failure destination. Checkpoints live in memory.
 *
 * @example
 * ```ts
 * const poller = new StreamPoller({ streams, streamArn, functionId: 'identity.outboxRelay', invoker: runtime });
 * poller.start();
 * // ...
 * await poller.stop();
 * ```
 */
export class StreamPoller {
  private readonly shards = new Map<string, ShardState>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private tableName: string | undefined;
  private streamViewType: StreamViewType = 'NEW_IMAGE';
  private idleWaiters: Array<() => void> = [];
  private firstDiscovery = true;
  /** Ends the loop's current pause early (see {@link wake}). */
  private endPause: (() => void) | undefined;
  /** Least time between two polls of a shard (`pollIntervalMs`). */
  private readonly baseIntervalMs: number;
  /** Time between two polls of an idle shard (`idlePollIntervalMs`, never below the base). */
  private readonly idleIntervalMs: number;

  constructor(private readonly options: StreamPollerOptions) {
    const batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new StreamPollerError(`batchSize must be an integer from 1 to 10000, got ${batchSize}`);
    }
    this.baseIntervalMs = options.pollIntervalMs ?? 250;
    this.idleIntervalMs = Math.max(options.idlePollIntervalMs ?? 1000, this.baseIntervalMs);
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.loop !== undefined)
      throw new StreamPollerError(`Poller of ${this.options.streamArn} already started`);
    this.loop = this.run().catch((error: unknown) => {
      this.log(`stream poller for ${this.options.functionId} stopped: ${(error as Error).message}`);
    });
  }

  /** Resolves the next time every shard is caught up (nothing pending, nothing new). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Says that records may have arrived (the local cloud calls it when an invocation of a function
   * that may write this poller's table ends, since functions are what write to tables): a shard
   * polled at the idle rate is polled again as soon as the base rate allows, never sooner.
   */
  wake(): void {
    let sooner = false;
    for (const shard of this.shards.values()) {
      const next = shard.lastPolledAt + this.baseIntervalMs;
      if (next < shard.nextPollAt) {
        shard.nextPollAt = next;
        sooner = true;
      }
    }
    // A busy poller (every shard at the base rate) has nothing to bring forward: no wake-up then.
    if (sooner) this.endPause?.();
  }

  /** Stops after the invocation in flight, if any. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.endPause?.();
    await this.loop;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let lastDiscovery = 0;
    while (!this.stopped) {
      try {
        const active = [...this.shards.values()].filter((s) => !s.done);
        if (active.length === 0 || Date.now() - lastDiscovery > 10_000) {
          await this.discoverShards();
          lastDiscovery = Date.now();
        }
        let worked = false;
        for (const shard of this.shards.values()) {
          if (this.stopped) return;
          if (shard.done || !this.parentDone(shard)) continue;
          worked = (await this.step(shard)) || worked;
        }
        if (!worked) {
          const waiting = [...this.shards.values()].filter((s) => !s.done);
          if (waiting.every((s) => s.caughtUp && s.pending.length === 0)) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
          await this.pause(this.untilNextPoll(waiting));
        }
      } catch (error) {
        if (this.stopped) return;
        // A missing stream or an invoker that cannot invoke (unknown function, stopped runtime) is final.
        if (error instanceof StreamPollerError || error instanceof LambdaRuntimeError) throw error;
        this.log(`stream poller for ${this.options.functionId}: ${(error as Error).message}; retrying`);
        await pauseUnlessAborted(1_000, this.abort.signal);
      }
    }
  }

  /** How long until one of `shards` may be polled again, at most one idle poll interval. */
  private untilNextPoll(shards: readonly ShardState[]): number {
    const now = Date.now();
    // A shard due now that was not polled waits for its parent: a full interval is soon enough.
    const due = shards.map((s) => s.nextPollAt - now).filter((ms) => ms > 0);
    return due.length === 0 ? this.baseIntervalMs : Math.min(this.idleIntervalMs, ...due);
  }

  /** Waits `ms`, or less when {@link wake} or {@link stop} is called meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', end);
        if (this.endPause === end) this.endPause = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.abort.signal.addEventListener('abort', end, { once: true });
      this.endPause = end;
      if (this.stopped) end();
    });
  }

  private parentDone(shard: ShardState): boolean {
    if (shard.parentShardId === undefined) return true;
    const parent = this.shards.get(shard.parentShardId);
    return parent === undefined || parent.done;
  }

  private async discoverShards(): Promise<void> {
    const found: Shard[] = [];
    let exclusiveStart: string | undefined;
    do {
      let description: StreamDescription | undefined;
      try {
        ({ StreamDescription: description } = await this.options.streams.send(
          new DescribeStreamCommand({
            StreamArn: this.options.streamArn,
            ExclusiveStartShardId: exclusiveStart,
          }),
          { abortSignal: this.abort.signal },
        ));
      } catch (error) {
        if (error instanceof ResourceNotFoundException) {
          throw new StreamPollerError(`Stream ${this.options.streamArn} does not exist`, { cause: error });
        }
        throw error;
      }
      this.tableName = description?.TableName;
      this.streamViewType =
        (description?.StreamViewType as StreamViewType | undefined) ?? this.streamViewType;
      found.push(...(description?.Shards ?? []));
      exclusiveStart = description?.LastEvaluatedShardId;
    } while (exclusiveStart !== undefined && !this.stopped);
    for (const shard of found) {
      if (shard.ShardId === undefined || this.shards.has(shard.ShardId)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      const latest = this.firstDiscovery && (this.options.startingPosition ?? 'TRIM_HORIZON') === 'LATEST';
      this.shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        iterator: undefined,
        resumeAfter: undefined,
        initialPosition: latest ? 'LATEST' : 'TRIM_HORIZON',
        pending: [],
        exhausted: false,
        // A mapping created at LATEST skips what closed shards hold.
        done: latest && closed,
        attempts: 0,
        nextPollAt: 0,
        lastPolledAt: 0,
        lastRecordsAt: Date.now(),
        caughtUp: false,
      });
    }
    this.firstDiscovery = false;
  }

  /** One fetch and/or one invocation on `shard`; true when something happened. */
  private async step(shard: ShardState): Promise<boolean> {
    const batchSize = this.options.batchSize ?? 100;
    let fetched = false;
    if (shard.pending.length < batchSize && !shard.exhausted && Date.now() >= shard.nextPollAt) {
      fetched = await this.fetch(shard, batchSize - shard.pending.length);
    }
    if (shard.pending.length === 0) {
      if (shard.exhausted) shard.done = true;
      return fetched;
    }
    await this.deliver(shard, shard.pending.slice(0, batchSize));
    return true;
  }

  private async fetch(shard: ShardState, limit: number): Promise<boolean> {
    shard.iterator ??= await this.openIterator(shard);
    if (shard.iterator === undefined) {
      shard.caughtUp = true;
      return false;
    }
    let records: _Record[];
    let next: string | undefined;
    const polledAt = Date.now();
    const idle = polledAt - shard.lastRecordsAt >= (this.options.idleAfterMs ?? 5000);
    shard.lastPolledAt = polledAt;
    shard.nextPollAt = polledAt + (idle ? this.idleIntervalMs : this.baseIntervalMs);
    try {
      const out = await this.options.streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: limit }),
        {
          abortSignal: this.abort.signal,
        },
      );
      records = out.Records ?? [];
      next = out.NextShardIterator;
      shard.caughtUp = records.length === 0;
      if (records.length > 0) {
        shard.lastRecordsAt = Date.now();
        shard.nextPollAt = polledAt + this.baseIntervalMs;
      }
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        // Nothing was read, so the next poll (with a new iterator) comes at the base rate even on an
        // idle shard: DynamoDB Local answers TrimmedDataAccess to the first poll after a write on a
        // shard that was empty while other tables were written, and that poll is the one wake() asked for.
        shard.nextPollAt = polledAt + this.baseIntervalMs;
        return false;
      }
      if (this.stopped) return false;
      throw error;
    }
    shard.iterator = next;
    if (next === undefined) shard.exhausted = true;
    for (const record of records) {
      const event = this.toEventRecord(record);
      shard.resumeAfter = event.dynamodb.SequenceNumber;
      if (this.options.filter === undefined || this.options.filter(event)) shard.pending.push(event);
    }
    return records.length > 0;
  }

  private async openIterator(shard: ShardState): Promise<string | undefined> {
    const input =
      shard.resumeAfter === undefined
        ? { ShardIteratorType: shard.initialPosition }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: shard.resumeAfter };
    const out = await this.options.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.options.streamArn, ShardId: shard.shardId, ...input }),
      { abortSignal: this.abort.signal },
    );
    return out.ShardIterator;
  }

  private async deliver(shard: ShardState, batch: StreamEventRecord[]): Promise<void> {
    const result = await this.options.invoker.invoke(this.options.functionId, { Records: batch });
    let failedFrom = 0;
    let reason: string;
    if (!result.ok) {
      reason = `${result.error.errorType}: ${result.error.errorMessage}`;
    } else if (!(this.options.reportBatchItemFailures ?? true)) {
      this.checkpoint(shard, batch.length);
      return;
    } else {
      const sequenceNumbers = batch.map((r) => r.dynamodb.SequenceNumber);
      const verdict = batchItemFailuresOf(result.payload, sequenceNumbers);
      if (verdict.kind === 'success') {
        this.checkpoint(shard, batch.length);
        return;
      }
      if (verdict.kind === 'partial') {
        failedFrom = Math.min(...[...verdict.failed].map((id) => sequenceNumbers.indexOf(id)));
        reason = `partial batch failure from sequence number ${sequenceNumbers[failedFrom]}`;
      } else {
        reason = `invalid partial batch response: ${verdict.reason}`;
      }
    }
    if (failedFrom > 0) this.checkpoint(shard, failedFrom);
    shard.attempts++;
    if (shard.attempts <= (this.options.maxRetryAttempts ?? 3)) {
      await pauseUnlessAborted(this.options.retryDelayMs ?? 200, this.abort.signal);
      return;
    }
    const discarded = batch.slice(failedFrom);
    await this.sendToOnFailure(shard, discarded, reason);
    this.checkpoint(shard, discarded.length);
  }

  private checkpoint(shard: ShardState, count: number): void {
    shard.pending.splice(0, count);
    shard.attempts = 0;
  }

  private async sendToOnFailure(
    shard: ShardState,
    records: StreamEventRecord[],
    reason: string,
  ): Promise<void> {
    const first = records[0];
    const last = records[records.length - 1];
    if (first === undefined || last === undefined) return;
    const arrival = (r: StreamEventRecord): string | undefined =>
      r.dynamodb.ApproximateCreationDateTime === undefined
        ? undefined
        : new Date(r.dynamodb.ApproximateCreationDateTime * 1000).toISOString();
    const failure: StreamBatchFailure = {
      functionId: this.options.functionId,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: shard.attempts,
      reason,
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.shardId,
        startSequenceNumber: first.dynamodb.SequenceNumber,
        endSequenceNumber: last.dynamodb.SequenceNumber,
        ...optional('approximateArrivalOfFirstRecord', arrival(first)),
        ...optional('approximateArrivalOfLastRecord', arrival(last)),
        batchSize: records.length,
        streamArn: this.options.streamArn,
      },
      records,
    };
    try {
      await (
        this.options.onFailure ??
        ((f) => this.log(`discarded stream batch: ${JSON.stringify(f.DDBStreamBatchInfo)} (${f.reason})`))
      )(failure);
    } catch (error) {
      this.log(`on-failure destination of ${this.options.functionId} failed: ${(error as Error).message}`);
    }
  }

  private toEventRecord(record: _Record): StreamEventRecord {
    const change = record.dynamodb;
    if (change?.SequenceNumber === undefined || change.Keys === undefined || record.eventName === undefined) {
      throw new StreamPollerError(
        `Stream record without sequence number, keys or event name: ${record.eventID}`,
      );
    }
    const keys = toWireImage(change.Keys);
    // The SDK types `eventName` as the names it knows; the engine sends this one anyway.
    const engineTtl = (record.eventName as string | undefined) === ENGINE_TTL_DELETION;
    const ttl =
      engineTtl ||
      (record.eventName === 'REMOVE' &&
        this.tableName !== undefined &&
        this.options.ttlDeletions?.claim(this.tableName, keys) === true);
    return {
      eventID: record.eventID ?? change.SequenceNumber,
      eventName: engineTtl ? 'REMOVE' : record.eventName,
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.options.region ?? 'eu-west-1',
      dynamodb: {
        ...optional(
          'ApproximateCreationDateTime',
          change.ApproximateCreationDateTime === undefined
            ? undefined
            : Math.floor(change.ApproximateCreationDateTime.getTime() / 1000),
        ),
        Keys: keys,
        ...optional('NewImage', change.NewImage === undefined ? undefined : toWireImage(change.NewImage)),
        ...optional('OldImage', change.OldImage === undefined ? undefined : toWireImage(change.OldImage)),
        SequenceNumber: change.SequenceNumber,
        SizeBytes: change.SizeBytes ?? 0,
        StreamViewType: (change.StreamViewType as StreamViewType | undefined) ?? this.streamViewType,
      },
      eventSourceARN: this.options.streamArn,
      ...(ttl
        ? { userIdentity: { type: 'Service' as const, principalId: 'dynamodb.amazonaws.com' as const } }
        : {}),
    };
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => console.error(m)))(message);
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
