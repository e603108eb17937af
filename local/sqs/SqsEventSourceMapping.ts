import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { batchItemFailuresOf } from '../lambda/batchItemFailuresOf';
import { LambdaRuntimeError } from '../lambda/errors';
import type { FunctionInvoker, InvokeResult } from '../lambda/FunctionInvoker';
import { pauseUnlessAborted } from '../lambda/pauseUnlessAborted';
import { EventSourceMappingError } from './errors';
import { type SqsEventRecord, sqsEventRecordOf } from './sqsEventRecordOf';

/** Options of {@link SqsEventSourceMapping}. */
export interface SqsEventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly functionId: string;
  readonly invoker: FunctionInvoker;
  /** `awsRegion` of the records. @default 'eu-west-1' */
  readonly region?: string;
  /** Most messages per invocation, 1 to 10000. @default 10 */
  readonly batchSize?: number;
  /** How long to keep gathering messages after the first, 0 to 300 s; required (>= 1) above 10 messages, as on AWS. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** Read `batchItemFailures` from the response (`FunctionResponseTypes: ['ReportBatchItemFailures']`). @default true */
  readonly reportBatchItemFailures?: boolean;
  /** Most pollers, hence concurrent invocations; give it the function's pool size. @default 5 */
  readonly maxConcurrency?: number;
  /** Long-poll wait of each ReceiveMessage, 0 to 20 s. @default 20 */
  readonly waitTimeSeconds?: number;
  /** Diagnostics (rejected batches, failed deletes). @default console.error */
  readonly log?: (message: string) => void;
}

/** Counters of a mapping. */
export interface SqsEventSourceMappingStats {
  /** Pollers running now. */
  readonly pollers: number;
  /** Most pollers that ran at once. */
  readonly peakPollers: number;
  /** Batches being processed now. */
  readonly inFlight: number;
  readonly invocations: number;
  readonly deleted: number;
}

/**
 * An SQS -> function event source mapping. Pollers long-poll `ReceiveMessage` (all system and
 * message attributes), gather up to `batchSize` messages within `maxBatchingWindowSeconds`, invoke
 * the function with an `SQSEvent`, then delete what succeeded, following AWS's rules (see
 * `batchItemFailuresOf`):
 * - success, or a partial response with an empty / null list, an empty or null response: delete all;
 * - `batchItemFailures` with valid message ids: delete all others; the listed ones stay and
 *   reappear after the visibility timeout (and reach the DLQ after `maxReceiveCount` receives);
 * - a thrown error, a timeout, or an invalid partial response (empty / null / unknown
 *   itemIdentifier, bad key, not an object): delete nothing.
 * With `reportBatchItemFailures: false` the response is ignored: success deletes all.
 *
 * Scaling: one poller always runs; a receive that comes back full starts another (up to
 * `maxConcurrency`), and an extra poller whose receive comes back empty stops, so concurrency
 * follows the backlog like Lambda's SQS pollers. Each poller runs one batch at a time.
 *
 * @example
 * ```ts
 * const mapping = new SqsEventSourceMapping({ sqs, queueUrl, queueArn, functionId: 'platform.sessionRevoked', invoker: runtime });
 * mapping.start();
 * // ...
 * await mapping.stop();
 * ```
 */
export class SqsEventSourceMapping {
  private readonly abort = new AbortController();
  private readonly loops = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private started = false;
  private pollers = 0;
  private peakPollers = 0;
  private inFlight = 0;
  private invocations = 0;
  private deleted = 0;
  private readonly batchSize: number;
  private readonly windowMs: number;

  constructor(private readonly options: SqsEventSourceMappingOptions) {
    this.batchSize = options.batchSize ?? 10;
    const window = options.maxBatchingWindowSeconds ?? 0;
    this.windowMs = window * 1000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      throw new EventSourceMappingError(
        `batchSize must be an integer from 1 to 10000, got ${this.batchSize}`,
      );
    }
    if (!(window >= 0 && window <= 300)) {
      throw new EventSourceMappingError(`maxBatchingWindowSeconds must be from 0 to 300, got ${window}`);
    }
    if (this.batchSize > 10 && window < 1) {
      throw new EventSourceMappingError(
        `batchSize ${this.batchSize} > 10 needs maxBatchingWindowSeconds >= 1 (as on AWS), got ${window}`,
      );
    }
    const wait = options.waitTimeSeconds ?? 20;
    if (!Number.isInteger(wait) || wait < 0 || wait > 20) {
      throw new EventSourceMappingError(`waitTimeSeconds must be an integer from 0 to 20, got ${wait}`);
    }
  }

  /** Starts the first poller. */
  start(): void {
    if (this.started)
      throw new EventSourceMappingError(`Mapping of ${this.options.queueArn} already started`);
    this.started = true;
    this.spawnPoller(true);
  }

  /** Resolves the next time a receive comes back empty while no batch is in flight. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): SqsEventSourceMappingStats {
    return {
      pollers: this.pollers,
      peakPollers: this.peakPollers,
      inFlight: this.inFlight,
      invocations: this.invocations,
      deleted: this.deleted,
    };
  }

  /**
   * Aborts the long polls and waits for the batches in flight to finish (and be deleted).
   * fauxqs may still hand a message to an aborted long poll that was waiting; such a message
   * reappears after its visibility timeout.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    while (this.loops.size > 0) await Promise.all([...this.loops]);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private spawnPoller(primary: boolean): void {
    this.pollers++;
    this.peakPollers = Math.max(this.peakPollers, this.pollers);
    const loop = this.poll(primary).finally(() => {
      this.pollers--;
      this.loops.delete(loop);
    });
    this.loops.add(loop);
  }

  private async poll(primary: boolean): Promise<void> {
    while (!this.stopped) {
      let messages: Message[];
      try {
        messages = await this.gather();
      } catch (error) {
        if (this.stopped) return;
        this.log(`receive from ${this.options.queueArn} failed: ${(error as Error).message}; retrying`);
        await pauseUnlessAborted(1_000, this.abort.signal);
        continue;
      }
      if (messages.length === 0) {
        if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        if (!primary) return;
        continue;
      }
      if (
        messages.length >= Math.min(this.batchSize, 10) &&
        this.pollers < (this.options.maxConcurrency ?? 5)
      ) {
        this.spawnPoller(false);
      }
      this.inFlight++;
      try {
        await this.process(messages);
      } catch (error) {
        if (error instanceof LambdaRuntimeError) {
          // The function cannot be invoked at all (unknown, runtime stopped): the messages stay queued.
          this.log(`SQS mapping of ${this.options.functionId} stops: ${error.message}`);
          this.abort.abort();
          return;
        }
        this.log(`SQS mapping of ${this.options.functionId}: ${(error as Error).message}`);
      } finally {
        this.inFlight--;
      }
    }
  }

  private async gather(): Promise<Message[]> {
    const batch = await this.receive(Math.min(10, this.batchSize), this.options.waitTimeSeconds ?? 20);
    if (batch.length === 0 || this.windowMs === 0) return batch;
    const deadline = Date.now() + this.windowMs;
    while (batch.length < this.batchSize && !this.stopped) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) break;
      const more = await this.receive(
        Math.min(10, this.batchSize - batch.length),
        Math.min(20, Math.floor(remainingMs / 1000)),
      );
      batch.push(...more);
      if (more.length === 0 && remainingMs < 1000)
        await pauseUnlessAborted(Math.min(50, remainingMs), this.abort.signal);
    }
    return batch;
  }

  private async receive(max: number, waitTimeSeconds: number): Promise<Message[]> {
    try {
      const { Messages: messages } = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.abort.signal },
      );
      return messages ?? [];
    } catch (error) {
      if (this.stopped) return [];
      throw error;
    }
  }

  private async process(messages: Message[]): Promise<void> {
    const region = this.options.region ?? 'eu-west-1';
    const records = messages.map((m) => sqsEventRecordOf(m, this.options.queueArn, region));
    this.invocations++;
    const result = await this.options.invoker.invoke(this.options.functionId, { Records: records });
    await this.delete(this.succeeded(result, records));
  }

  /** The records to delete, by AWS's rules (see the class comment). */
  private succeeded(result: InvokeResult, records: readonly SqsEventRecord[]): readonly SqsEventRecord[] {
    if (!result.ok) {
      this.log(
        `${this.options.functionId} failed (${result.error.errorType}: ${result.error.errorMessage}); ${records.length} message(s) will be retried`,
      );
      return [];
    }
    if (!(this.options.reportBatchItemFailures ?? true)) return records;
    const verdict = batchItemFailuresOf(
      result.payload,
      records.map((r) => r.messageId),
    );
    switch (verdict.kind) {
      case 'success':
        return records;
      case 'partial':
        return records.filter((r) => !verdict.failed.has(r.messageId));
      case 'failure':
        this.log(
          `${this.options.functionId}: ${verdict.reason}; the whole batch of ${records.length} will be retried`,
        );
        return [];
    }
  }

  private async delete(records: readonly SqsEventRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += 10) {
      const chunk = records.slice(start, start + 10);
      const { Failed: failed } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: chunk.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
      this.deleted += chunk.length - (failed?.length ?? 0);
      for (const failure of failed ?? []) {
        this.log(
          `could not delete a message of ${this.options.queueArn}: ${failure.Code} ${failure.Message ?? ''}`,
        );
      }
    }
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => console.error(m)))(message);
  }
}
