import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createFacadeRouter,
  createObservability,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import { DynamoDbUserRepository } from '../adapters/DynamoDbUserRepository';
import identity from '../quantum';
import { UserProfiles } from '../service/UserProfiles';
import { facadeOperations } from './facadeOperations';
import { facadeEnvironmentSchema } from './identityEnvironment';

// Composition root of identity's `facade` function (REST API, IAM-authorized): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(facadeEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: identity.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const dynamodb = observability.tracer.captureAWSv3Client(new DynamoDBClient({}));
const profiles = new UserProfiles(
  new DynamoDbUserRepository({
    client: dynamodb,
    tableName: env.TABLE_NAME,
    ttlAttribute: env.TTL_ATTRIBUTE,
  }),
);

/** `facade`: `POST /ops/GetUser`, called by other quanta with SigV4. */
export const handler = httpHandler(createFacadeRouter(identity.facade ?? [], facadeOperations(profiles)), {
  observability,
});
