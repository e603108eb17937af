import type { AuthorizerContext } from '@quanta/contracts';
import type { StoredTicket } from './Ticket';

/** Port: one-time WebSocket tickets. */
export interface TicketStore {
  save(ticket: StoredTicket): Promise<void>;
  /**
   * Atomically removes the ticket and returns its caller, if it exists and has not expired at `now`
   * (epoch seconds): a ticket admits at most one connection.
   */
  consume(ticketHash: string, now: number): Promise<AuthorizerContext | undefined>;
}
