import type { ServerFrame } from '@quanta/contracts/chat';

/** One frame to push to some connections: a slice of a broadcast to a large room. */
export interface FanoutBatch {
  readonly frame: ServerFrame;
  readonly connectionIds: readonly string[];
}

/** Port: the quantum's own work queue for broadcasts too large for one invocation. */
export interface FanoutQueue {
  /** Queues every batch (all or an error); each is delivered later by the `fanout` function. */
  enqueue(batches: readonly FanoutBatch[]): Promise<void>;
}
