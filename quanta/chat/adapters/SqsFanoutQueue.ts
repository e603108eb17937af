import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { MessagingError } from '@quanta/runtime/errors';
import type { FanoutBatch, FanoutQueue } from '../domain/ConnectionGateway';
import { fanoutMessageSchema } from './fanoutMessage';

/** SendMessageBatch takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

/**
 * {@link FanoutQueue} on chat's SQS work queue (`WORK_QUEUE_URL_FANOUT`): one message per batch,
 * sent 10 per `SendMessageBatch`; entries SQS refuses are sent again (3 rounds), then it throws.
 * 100 connection ids and a 2,000-character message fit well within SQS's 256 KiB.
 *
 * @example
 * ```ts
 * const fanout = new SqsFanoutQueue({ client: new SQSClient({}), queueUrl: env.WORK_QUEUE_URL_FANOUT });
 * await fanout.enqueue([{ frame, connectionIds }]);
 * ```
 */
export class SqsFanoutQueue implements FanoutQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: { readonly client: SQSClient; readonly queueUrl: string }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async enqueue(batches: readonly FanoutBatch[]): Promise<void> {
    const entries = batches.map(
      (batch, i): SendMessageBatchRequestEntry => ({
        Id: String(i),
        MessageBody: JSON.stringify(
          fanoutMessageSchema.parse({ v: 1, frame: batch.frame, connectionIds: [...batch.connectionIds] }),
        ),
      }),
    );
    for (let start = 0; start < entries.length; start += MAX_ENTRIES) {
      let pending = entries.slice(start, start + MAX_ENTRIES);
      for (let round = 1; pending.length > 0; round++) {
        const { Failed = [] } = await this.#client.send(
          new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: pending }),
        );
        if (Failed.length === 0) break;
        if (round >= 3) {
          const first = Failed[0];
          throw new MessagingError(
            `${Failed.length} fan-out batches were not queued to ${this.#queueUrl}; first: ${first?.Code} ${first?.Message ?? ''}`,
          );
        }
        const failedIds = new Set(Failed.map((f) => f.Id));
        pending = pending.filter((e) => failedIds.has(e.Id));
      }
    }
  }
}
