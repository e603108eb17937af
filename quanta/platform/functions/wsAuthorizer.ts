import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import { TicketService } from '../service/TicketService';
import { createWebSocketAuthorizer } from './createWebSocketAuthorizer';

// Composition root of the WebSocket `$connect` authorizer: once per cold start.
const { observability, table } = functionContext(tableEnvironment, process.env);
const tickets = new TicketService({
  store: new DynamoDbTicketStore(table),
  denylist: new DynamoDbDenylist(table),
});

/** `wsAuthorizer`: admits a WebSocket connection for a valid one-time ticket. */
export const handler = createWebSocketAuthorizer(tickets, observability);
