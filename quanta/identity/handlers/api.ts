import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  createObservability,
  createRouter,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import identity from '../quantum';
import { apiRoutes } from './apiRoutes';
import { buildIdentity } from './buildIdentity';
import { apiEnvironmentSchema } from './identityEnvironment';

// Composition root of identity's `api` function: runs once per cold start.
const processEnv = process.env;
const env = parseEnvironment(apiEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: identity.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const { tracer } = observability;
const { service, profiles } = buildIdentity(env, {
  dynamodb: tracer.captureAWSv3Client(new DynamoDBClient({})),
  kms: () => tracer.captureAWSv3Client(new KMSClient({})),
});

/** `api`: identity's public routes (signup, login, refresh, logout, me, JWKS). */
export const handler = httpHandler(createRouter(identity.routes ?? [], apiRoutes(service, profiles)), {
  observability,
});
