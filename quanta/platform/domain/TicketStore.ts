import type { AuthorizerContext } from '@quanta/contracts/platform';

/** A stored one-time WebSocket ticket: the caller it admits, under the ticket's hash. */
export interface StoredTicket {
  /** Hex SHA-256 of the ticket (the ticket itself is never stored). */
  readonly ticketHash: string;
  readonly caller: AuthorizerContext;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

/** Port: one-time WebSocket tickets. */
export interface TicketStore {
  save(ticket: StoredTicket): Promise<void>;
  /**
   * Atomically removes the ticket and returns its caller, if it exists and has not expired at `now`
   * (epoch seconds): a ticket admits at most one connection.
   */
  consume(ticketHash: string, now: number): Promise<AuthorizerContext | undefined>;
}
