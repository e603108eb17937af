import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { createRouter, httpHandler } from '@quanta/runtime/http';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import manifest from '../quantum';
import { TicketService } from '../service/TicketService';
import { routes } from './routes';

// Composition root of the platform's `api` function: once per cold start.
const { observability, table } = functionContext(tableEnvironment, process.env);
const tickets = new TicketService({
  store: new DynamoDbTicketStore(table),
  denylist: new DynamoDbDenylist(table),
});

/** `api`: `POST /realtime/tickets`. */
export const handler = httpHandler(createRouter(manifest.routes ?? [], routes(tickets)), { observability });
