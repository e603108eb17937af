import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createObservability,
  createRouter,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import platform from '../quantum';
import { TicketService } from '../service/TicketService';
import { apiRoutes } from './apiRoutes';
import { tableEnvironmentSchema } from './platformEnvironment';

// Composition root of the platform's `api` function: once per cold start.
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
const tickets = new TicketService({
  store: new DynamoDbTicketStore(table),
  denylist: new DynamoDbDenylist(table),
});

/** `api`: `POST /realtime/tickets`. */
export const handler = httpHandler(createRouter(platform.routes ?? [], apiRoutes(tickets)), {
  observability,
});
