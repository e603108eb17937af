import type { FanoutBatch, FanoutQueue } from '../domain/ConnectionGateway';

/**
 * A {@link FanoutQueue} made by `load` on its first `enqueue` (a dynamic import of the SQS client and
 * `SqsFanoutQueue`), not at cold start: of the functions that wire one, three never enqueue and `ws`
 * does only for rooms above the fan-out threshold, so most cold starts need not load the SQS
 * client (D12). Concurrent first calls share one load; a load that fails is tried again by the
 * next call.
 *
 * @example
 * ```ts
 * const fanout = new LazyFanoutQueue(async () => {
 *   const [{ SQSClient }, { SqsFanoutQueue }] = await Promise.all([
 *     import('@aws-sdk/client-sqs'),
 *     import('./SqsFanoutQueue'),
 *   ]);
 *   return new SqsFanoutQueue({ client: new SQSClient({}), queueUrl });
 * });
 * await fanout.enqueue([{ frame, connectionIds }]);
 * ```
 */
export class LazyFanoutQueue implements FanoutQueue {
  readonly #load: () => Promise<FanoutQueue>;
  #queue: Promise<FanoutQueue> | undefined;

  constructor(load: () => Promise<FanoutQueue>) {
    this.#load = load;
  }

  async enqueue(batches: readonly FanoutBatch[]): Promise<void> {
    this.#queue ??= this.#load().catch((error: unknown) => {
      this.#queue = undefined;
      throw error;
    });
    await (await this.#queue).enqueue(batches);
  }
}
