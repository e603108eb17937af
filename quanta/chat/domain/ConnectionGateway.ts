import type { ServerFrame } from '@quanta/contracts/chat';

/** `GONE`: the connection no longer exists (API Gateway's 410); nothing was delivered. */
export type DeliveryOutcome = 'DELIVERED' | 'GONE';

/**
 * Port: the delivery side of the WebSocket API (`@connections`). Both calls answer `GONE` for a
 * connection that has closed, and reject for anything else (throttling, network, permissions).
 */
export interface ConnectionGateway {
  /** Pushes one frame to one connection. */
  post(connectionId: string, frame: ServerFrame): Promise<DeliveryOutcome>;
  /** Closes the connection from the server side (API Gateway then invokes `$disconnect`). */
  close(connectionId: string): Promise<DeliveryOutcome>;
}

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
