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
