import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  jwksSchema,
  meResponseSchema,
  signupResponseSchema,
  tokenPairSchema,
} from '@quanta/contracts/identity';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import identity from '../quantum';
import { generatePrivateJwk } from './fakes/testKeys';
import { verifyEs256 } from './fakes/verifyEs256';

let db: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  const tableName = await createTestTable(client, 'identity-handlers');
  // The environment the CDK stack and the local cloud give the functions (see ENV in the manifest kit).
  const env: Record<string, string> = {
    QUANTUM: 'identity',
    TABLE_NAME: tableName,
    TTL_ATTRIBUTE: 'expiresAt',
    EVENT_BUS_NAME: 'quanta-bus',
    EVENT_SOURCE: 'quanta.identity',
    AUTH_ISSUER: 'https://identity.quanta.local',
    AUTH_AUDIENCE: 'quanta-api',
    ACCESS_TOKEN_TTL_SECONDS: '900',
    REFRESH_TOKEN_TTL_SECONDS: '2592000',
    ADMIN_EMAILS: 'boss@quanta.local',
    SIGNING_KEYS_JWK: JSON.stringify([generatePrivateJwk(), generatePrivateJwk()]),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  // The abuse limits come from the manifest, as the plan gives them to the function.
  Object.assign(env, identity.functions.api?.environment);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  await db?.stop();
});

describe('identity composition roots', () => {
  it('wire the api function from its environment: signup, login with real scrypt, me, JWKS', async () => {
    // Arrange
    const { handler } = await import('../functions/api');
    const call = async (input: Parameters<typeof httpApiEvent>[0]) => {
      const response = await handler(httpApiEvent(input), lambdaContext());
      return {
        status: response.statusCode,
        json: response.body === '' ? undefined : (JSON.parse(response.body) as unknown),
      };
    };
    const user = { email: 'boss@quanta.local', password: 'correct horse battery', displayName: 'Boss' };

    // Act
    const signup = await call({ method: 'POST', path: '/identity/signup', body: user });
    const login = await call({
      method: 'POST',
      path: '/identity/login',
      body: { email: user.email, password: user.password },
    });
    const jwks = await call({ method: 'GET', path: '/identity/.well-known/jwks.json' });
    const pair = tokenPairSchema.parse(login.json);
    const { claims } = verifyEs256(pair.accessToken, jwksSchema.parse(jwks.json));
    const me = await call({
      method: 'GET',
      path: '/identity/me',
      caller: { userId: String(claims.sub), sessionId: String(claims.sid), roles: claims.roles as string[] },
    });

    // Assert
    expect(signup.status).toBe(201);
    expect(claims.sub).toBe(signupResponseSchema.parse(signup.json).userId);
    expect(claims).toMatchObject({
      iss: 'https://identity.quanta.local',
      aud: 'quanta-api',
      roles: ['customer', 'admin'],
    });
    expect(claims.exp).toBe(Number(claims.iat) + 900);
    expect(meResponseSchema.parse(me.json).email).toBe('boss@quanta.local');
  });

  it('wire the facade and the outbox relay functions', async () => {
    // Arrange
    const facade = await import('../functions/facade');
    const relay = await import('../functions/outboxRelay');
    const noOutbox: DynamoDBStreamEvent = { Records: [] };

    // Act
    const result = await relay.handler(noOutbox, lambdaContext());

    // Assert
    expect(typeof facade.handler).toBe('function');
    expect(result).toEqual({ batchItemFailures: [] });
  });
});
