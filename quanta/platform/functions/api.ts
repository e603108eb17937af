import { ENV, functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { z } from 'zod';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import manifest from '../quantum';
import { TicketService } from '../service/TicketService';
import { routes } from './routes';

// Composition root of the platform's `api` function: once per cold start.
const environment = tableEnvironment.extend({
  /** The WebSocket API clients connect to; each ticket's `url` is it with `?ticket=` appended. */
  [ENV.webSocketUrl]: z.url({ protocol: /^wss?$/ }),
});
const { env, observability, table } = functionContext(environment, process.env);
const tickets = new TicketService({
  store: new DynamoDbTicketStore(table),
  denylist: new DynamoDbDenylist(table),
  webSocketUrl: env.WEBSOCKET_URL,
});

/** `api`: `POST /realtime/tickets`. */
export const handler = httpHandler(createRouter(manifest.routes ?? [], routes(tickets)), { observability });
