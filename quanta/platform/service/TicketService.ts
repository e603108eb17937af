import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizerContext, RealtimeTicketResponse } from '@quanta/contracts/platform';
import { ConfigurationError } from '@quanta/runtime/errors';
import type { Denylist } from '../domain/Denylist';
import type { TicketStore } from '../domain/TicketStore';

/** Lifetime of a WebSocket ticket: long enough to open a socket, short enough to be useless if leaked. */
export const DEFAULT_TICKET_TTL_SECONDS = 60;

/**
 * One-time WebSocket tickets: browsers cannot set headers on a WebSocket, so an authenticated client
 * trades its access token for a ticket (`POST /realtime/tickets`) and passes it in the query string
 * of `$connect`. Tickets are 256 random bits, stored hashed, valid 60 s (by default), and admit one connection.
 *
 * @example
 * ```ts
 * const { ticket } = await tickets.issue(caller);
 * const admitted = await tickets.redeem(ticket); // caller, once; then undefined
 * ```
 */
export class TicketService {
  readonly #store: TicketStore;
  readonly #denylist: Denylist;
  readonly #now: () => Date;
  readonly #webSocketUrl: string | undefined;
  readonly #ttlSeconds: number;

  constructor(options: {
    store: TicketStore;
    denylist: Denylist;
    webSocketUrl?: string;
    /** Ticket lifetime; tests shorten it to watch a ticket expire. @default 60 */
    ttlSeconds?: number;
    now?: () => Date;
  }) {
    this.#webSocketUrl = options.webSocketUrl;
    this.#ttlSeconds = options.ttlSeconds ?? DEFAULT_TICKET_TTL_SECONDS;
    this.#store = options.store;
    this.#denylist = options.denylist;
    this.#now = options.now ?? (() => new Date());
  }

  async issue(caller: AuthorizerContext): Promise<RealtimeTicketResponse> {
    const ticket = randomBytes(32).toString('base64url');
    await this.#store.save({
      ticketHash: hashTicket(ticket),
      caller: { userId: caller.userId, sessionId: caller.sessionId, roles: [...caller.roles] },
      expiresAt: this.#nowSeconds() + this.#ttlSeconds,
    });
    if (this.#webSocketUrl === undefined) {
      throw new ConfigurationError('TicketService needs the WebSocket URL to issue tickets (WEBSOCKET_URL)');
    }
    const url = new URL(this.#webSocketUrl);
    url.searchParams.set('ticket', ticket);
    return { ticket, expiresIn: this.#ttlSeconds, url: url.toString() };
  }

  /** The caller a ticket admits (consuming it), or `undefined` for an unknown, used or expired ticket or a revoked session. */
  async redeem(ticket: string | undefined): Promise<AuthorizerContext | undefined> {
    if (ticket === undefined || !/^[A-Za-z0-9_-]{16,128}$/.test(ticket)) return undefined;
    const now = this.#nowSeconds();
    const caller = await this.#store.consume(hashTicket(ticket), now);
    // A ticket issued just before logout must not outlive the session.
    if (caller === undefined || (await this.#denylist.isDenied(caller.sessionId, now))) return undefined;
    return caller;
  }

  #nowSeconds(): number {
    return Math.floor(this.#now().getTime() / 1000);
  }
}

function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket, 'utf8').digest('hex');
}
