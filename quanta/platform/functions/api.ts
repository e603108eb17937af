import * as z from '@quanta/contracts/zod';
import { ENV, functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import manifest from '../quantum';
import { DEFAULT_TICKET_TTL_SECONDS, TicketService } from '../service/TicketService';
import { routes } from './routes';

// Composition root of the platform's `api` function: once per cold start.
const environment = z.extend(tableEnvironment, {
  /** The WebSocket API clients connect to; each ticket's `url` is it with `?ticket=` appended. */
  [ENV.webSocketUrl]: z.url({ protocol: /^wss?$/ }),
  /** Ticket lifetime in seconds (60 unless a test shortens it through `quanta:environment`). */
  TICKET_TTL_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(300)),
    DEFAULT_TICKET_TTL_SECONDS,
  ),
});
const { env, observability, table } = functionContext(environment, process.env);
const tickets = new TicketService({
  store: new DynamoDbTicketStore(table),
  denylist: new DynamoDbDenylist(table),
  webSocketUrl: env.WEBSOCKET_URL,
  ttlSeconds: env.TICKET_TTL_SECONDS,
});

/** `api`: `POST /realtime/tickets`. */
export const handler = httpHandler(createRouter(manifest.routes ?? [], routes(tickets)), { observability });
