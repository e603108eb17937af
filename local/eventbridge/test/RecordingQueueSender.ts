import type { QueueMessage, QueueSender } from '../deliverToTarget';
import { TargetDeliveryError } from '../errors';

/** A queue sender for unit tests: records messages and fails on demand. */
export class RecordingQueueSender implements QueueSender {
  readonly sent: QueueMessage[] = [];
  readonly attempts: string[] = [];
  readonly #failures = new Map<string, { remaining: number; error: () => TargetDeliveryError }>();

  /** The next `times` sends to `queueUrl` fail with a retryable error (Infinity: always). */
  failTransiently(queueUrl: string, times: number): void {
    this.#failures.set(queueUrl, {
      remaining: times,
      error: () => new TargetDeliveryError('SDK_CLIENT_ERROR', `${queueUrl} is throttling`, true),
    });
  }

  /** Every send to `queueUrl` fails as a missing queue (not retried by AWS). */
  failAsMissing(queueUrl: string): void {
    this.#failures.set(queueUrl, {
      remaining: Number.POSITIVE_INFINITY,
      error: () => new TargetDeliveryError('NO_RESOURCE', `${queueUrl} does not exist`, false),
    });
  }

  async send(message: QueueMessage): Promise<void> {
    this.attempts.push(message.queueUrl);
    const failure = this.#failures.get(message.queueUrl);
    if (failure !== undefined && failure.remaining > 0) {
      failure.remaining--;
      throw failure.error();
    }
    this.sent.push(message);
  }

  /** Bodies of the messages accepted by `queueUrl`, parsed. */
  bodiesSentTo(queueUrl: string): unknown[] {
    return this.sent.filter((m) => m.queueUrl === queueUrl).map((m) => JSON.parse(m.body));
  }
}
