import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SessionRevoked } from '@quanta/contracts';
import {
  createObservability,
  DynamoDbIdempotencyStore,
  isTracingAvailable,
  parseEnvironment,
  sqsBatchHandler,
} from '@quanta/runtime';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import platform from '../quantum';
import { SessionRevocations } from '../service/SessionRevocations';
import { tableEnvironmentSchema } from './platformEnvironment';

// Composition root of the `SessionRevoked` consumer (SQS inbox of the session-revoked rule).
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
const revocations = new SessionRevocations(new DynamoDbDenylist(table));

/** `sessionRevoked`: fills the denylist from identity's `SessionRevoked` events. */
export const handler = sqsBatchHandler({
  parse: SessionRevoked.envelope,
  handle: (event) => revocations.apply(event.data),
  idempotency: new DynamoDbIdempotencyStore({ ...table, leaseSeconds: 60 }),
  idempotencyKey: (event) => `session-revoked#${event.id}`,
  observability,
});
