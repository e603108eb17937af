import type { AuthorizerContext } from '@quanta/contracts';

/** A stored one-time WebSocket ticket: the caller it admits, under the ticket's hash. */
export interface StoredTicket {
  /** Hex SHA-256 of the ticket (the ticket itself is never stored). */
  readonly ticketHash: string;
  readonly caller: AuthorizerContext;
  /** Epoch seconds. */
  readonly expiresAt: number;
}
