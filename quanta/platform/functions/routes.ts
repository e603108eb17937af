import { jsonResponse } from '@quanta/runtime/http';
import type { RouteHandlers } from '@quanta/runtime/http/router';
import type { TicketService } from '../service/TicketService';

/**
 * The platform's own public routes: `POST /realtime/tickets` trades the caller's (authorizer-verified)
 * identity for a one-time WebSocket ticket.
 *
 * @example
 * ```ts
 * const router = createRouter(manifest.routes ?? [], routes(new TicketService({ store, denylist })));
 * ```
 */
export function routes(tickets: TicketService): RouteHandlers {
  return {
    'POST /realtime/tickets': async (req) => jsonResponse(201, await tickets.issue(req.requireCaller())),
  };
}
