import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createObservability, isTracingAvailable, parseEnvironment } from '@quanta/runtime';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { FetchJwksFetcher } from '../adapters/FetchJwksFetcher';
import { JwtAccessTokenVerifier } from '../adapters/JwtAccessTokenVerifier';
import platform from '../quantum';
import { AccessAuthorizer } from '../service/AccessAuthorizer';
import { createHttpAuthorizer } from './createHttpAuthorizer';
import { authorizerEnvironmentSchema } from './platformEnvironment';

// Composition root of the HTTP API authorizer. Module scope is the Lambda way to keep the JWKS
// (and parsed keys) cached across invocations of this execution environment.
const processEnv = process.env;
const env = parseEnvironment(authorizerEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: platform.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const verifier = new JwtAccessTokenVerifier({
  issuer: env.AUTH_ISSUER,
  audience: env.AUTH_AUDIENCE,
  jwksUri: env.JWKS_URI,
  jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher({ timeoutMs: 2000 }) }),
});
const denylist = new DynamoDbDenylist({
  client: observability.tracer.captureAWSv3Client(new DynamoDBClient({})),
  tableName: env.TABLE_NAME,
  ttlAttribute: env.TTL_ATTRIBUTE,
});

/** `authorizer`: verifies access tokens for the HTTP API (simple responses). */
export const handler = createHttpAuthorizer(new AccessAuthorizer({ verifier, denylist }), observability);
