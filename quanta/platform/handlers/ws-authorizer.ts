import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createObservability, isTracingAvailable, parseEnvironment } from '@quanta/runtime';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import platform from '../quantum';
import { TicketService } from '../service/TicketService';
import { createWebSocketAuthorizer } from './createWebSocketAuthorizer';
import { tableEnvironmentSchema } from './platformEnvironment';

// Composition root of the WebSocket `$connect` authorizer: once per cold start.
const processEnv = process.env;
const env = parseEnvironment(tableEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: platform.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const table = {
  client: observability.tracer.captureAWSv3Client(new DynamoDBClient({})),
  tableName: env.TABLE_NAME,
  ttlAttribute: env.TTL_ATTRIBUTE,
};

/** `wsAuthorizer`: admits a WebSocket connection for a valid one-time ticket. */
export const handler = createWebSocketAuthorizer(
  new TicketService({ store: new DynamoDbTicketStore(table), denylist: new DynamoDbDenylist(table) }),
  observability,
);
