import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from './support/jwksServer';
import { type TestIssuer, testIssuer } from './support/tokens';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let jwks: JwksServer;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = testIssuer('https://identity.quanta.local', 'quanta-api');
  jwks = await startJwksServer(issuer.jwks);
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  const env: Record<string, string> = {
    QUANTUM: 'platform',
    TABLE_NAME: await createTestTable(client, 'platform-handlers'),
    WEBSOCKET_URL: 'ws://127.0.0.1:3001',
    TTL_ATTRIBUTE: 'expiresAt',
    AUTH_ISSUER: 'https://identity.quanta.local',
    AUTH_AUDIENCE: 'quanta-api',
    ACCESS_TOKEN_TTL_SECONDS: '900',
    // As `quanta:environment` {"platform":{"MAX_TOKEN_LIFETIME_SECONDS":"1800"}} would set it.
    MAX_TOKEN_LIFETIME_SECONDS: '1800',
    JWKS_URI: jwks.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  await db?.stop();
  await jwks?.close();
});

describe('platform composition roots', () => {
  it('wire the authorizer to fetch the JWKS over HTTP and answer simple responses', async () => {
    // Arrange
    const { handler } = await import('../functions/authorizer');
    const event = (authorization: string) =>
      ({
        type: 'REQUEST',
        headers: { authorization },
        identitySource: [authorization],
        routeArn: 'arn',
      }) as unknown as APIGatewayRequestAuthorizerEventV2;

    // Act
    const allowed = await handler(event(`Bearer ${issuer.token({ sub: 'u1', sid: 's1' })}`), lambdaContext());
    const denied = await handler(event('Bearer garbage'), lambdaContext());

    // Assert
    expect(allowed).toEqual({
      isAuthorized: true,
      context: { userId: 'u1', sessionId: 's1', roles: ['customer'] },
    });
    expect(denied).toEqual({ isAuthorized: false });
  });

  it('wire the authorizer’s longest accepted token lifetime from MAX_TOKEN_LIFETIME_SECONDS', async () => {
    // Arrange
    const { handler } = await import('../functions/authorizer');
    const now = Math.floor(Date.now() / 1000);
    const event = (token: string) =>
      ({
        type: 'REQUEST',
        headers: { authorization: `Bearer ${token}` },
        identitySource: [`Bearer ${token}`],
        routeArn: 'arn',
      }) as unknown as APIGatewayRequestAuthorizerEventV2;

    // Act: 1,700 s is over the default (900 + 60) but within the configured 1,800.
    const configured = await handler(event(issuer.token({ iat: now, exp: now + 1700 })), lambdaContext());
    const over = await handler(event(issuer.token({ iat: now, exp: now + 1801 })), lambdaContext());

    // Assert
    expect(configured.isAuthorized).toBe(true);
    expect(over).toEqual({ isAuthorized: false });
  });

  it('wire the ticket route, the WebSocket authorizer and the SessionRevoked consumer', async () => {
    // Arrange
    const api = await import('../functions/api');
    const ws = await import('../functions/wsAuthorizer');
    const revoked = await import('../functions/sessionRevoked');
    const caller = { userId: 'u1', sessionId: 's1', roles: ['customer'] };

    // Act
    const issued = await api.handler(
      httpApiEvent({ method: 'POST', path: '/realtime/tickets', caller }),
      lambdaContext(),
    );
    const { ticket } = realtimeTicketResponseSchema.parse(JSON.parse(issued.body));
    const connect = await ws.handler(
      {
        type: 'REQUEST',
        methodArn: 'arn:ws',
        queryStringParameters: { ticket },
      } as unknown as APIGatewayRequestAuthorizerEvent,
      lambdaContext(),
    );
    const consumed = await revoked.handler({ Records: [] }, lambdaContext());

    // Assert
    expect(issued.statusCode).toBe(201);
    expect(connect.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(consumed).toEqual({ batchItemFailures: [] });
  });
});
