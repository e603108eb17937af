import { type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AnyEventEnvelope, eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { errorBodySchema } from '@quanta/contracts/http';
import {
  getUserResponseSchema,
  SessionRevoked,
  tokenPairSchema,
  UserRegistered,
} from '@quanta/contracts/identity';
import { httpHandler } from '@quanta/runtime/http';
import { createFacadeRouter, createRouter } from '@quanta/runtime/http/router';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRoleRepository } from '../adapters/DynamoDbRoleRepository';
import { DynamoDbSessionRepository } from '../adapters/DynamoDbSessionRepository';
import { DynamoDbThrottleStore } from '../adapters/DynamoDbThrottleStore';
import { DynamoDbUserRepository } from '../adapters/DynamoDbUserRepository';
import { ScryptPasswordHasher } from '../adapters/ScryptPasswordHasher';
import { hashToken } from '../domain/Session';
import { InvalidRefreshTokenError } from '../errors';
import { facadeOperations } from '../functions/facadeOperations';
import { routes } from '../functions/routes';
import identity from '../quantum';
import { buildTestIdentity } from './fakes/buildTestIdentity';
import { verifyEs256 } from './fakes/verifyEs256';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'identity');
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

/** identity on the real table; scrypt at low cost because these tests are about the table, not the hash. */
function identityOnTable() {
  const table = { client, tableName, ttlAttribute: 'expiresAt' };
  const built = buildTestIdentity({
    users: new DynamoDbUserRepository(table),
    roles: new DynamoDbRoleRepository(table),
    sessions: new DynamoDbSessionRepository(table),
    throttles: new DynamoDbThrottleStore(table),
    hasher: new ScryptPasswordHasher({ logN: 10, r: 8, p: 1 }),
  });
  const router = createRouter(
    identity.routes ?? [],
    routes({ service: built.service, profiles: built.profiles, roles: built.administration }),
  );
  const handler = httpHandler(router, { observability: testObservability('identity') });
  const call = async (input: Parameters<typeof httpApiEvent>[0]) => {
    const response = await handler(httpApiEvent(input), lambdaContext());
    return { ...response, json: response.body === '' ? undefined : (JSON.parse(response.body) as unknown) };
  };
  return { ...built, call };
}

let counter = 0;
function newUser() {
  counter++;
  return {
    email: `user${counter}-${Date.now()}@example.com`,
    password: 'correct horse battery',
    displayName: `U${counter}`,
  };
}

async function signupAndLogin(api: ReturnType<typeof identityOnTable>) {
  const user = newUser();
  await api.call({ method: 'POST', path: '/identity/signup', body: user });
  const login = await api.call({
    method: 'POST',
    path: '/identity/login',
    body: { email: user.email, password: user.password },
  });
  const pair = tokenPairSchema.parse(login.json);
  const { claims } = verifyEs256(pair.accessToken, await api.keyRing.publicJwks());
  return { user, pair, userId: String(claims.sub), sessionId: String(claims.sid) };
}

async function item(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: marshall({ pk, sk }), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : unmarshall(Item);
}

async function outboxEvents(): Promise<AnyEventEnvelope[]> {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(pk, :outbox)',
      ExpressionAttributeValues: marshall({ ':outbox': 'OUTBOX#' }),
      ConsistentRead: true,
    }),
  );
  return Items.map((i) => eventEnvelopeBaseSchema.parse(JSON.parse(String(unmarshall(i).envelope))));
}

describe('identity on DynamoDB Local', () => {
  it('lets exactly one of 20 concurrent signups with one e-mail succeed', async () => {
    // Arrange
    const api = identityOnTable();
    const user = newUser();

    // Act
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.call({ method: 'POST', path: '/identity/signup', body: { ...user, displayName: `Racer ${i}` } }),
      ),
    );

    // Assert
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const taken = responses.find((r) => r.statusCode === 409);
    expect(errorBodySchema.parse(taken?.json).error.code).toBe('EMAIL_TAKEN');
    const registered = (await outboxEvents()).filter(
      (e) => e.type === 'UserRegistered' && (e.data as { email: string }).email === user.email,
    );
    expect(registered).toHaveLength(1);
    expect(UserRegistered.envelope.parse(registered[0]).data.email).toBe(user.email);
  });

  it('logs in against the stored hash and records the session and the hashed refresh token', async () => {
    // Arrange
    const api = identityOnTable();

    // Act
    const { pair, userId, sessionId } = await signupAndLogin(api);

    // Assert
    expect(await item(`SESSION#${sessionId}`, 'SESSION')).toMatchObject({ userId, status: 'ACTIVE' });
    expect(await item(`REFRESH#${hashToken(pair.refreshToken)}`, 'REFRESH')).toMatchObject({
      userId,
      sessionId,
      used: false,
    });
    expect(await item(`REFRESH#${pair.refreshToken}`, 'REFRESH')).toBeUndefined();
  });

  it('rotates a refresh token: the old one is marked used and the new one works', async () => {
    // Arrange
    const api = identityOnTable();
    const { pair } = await signupAndLogin(api);

    // Act
    const second = await api.service.refresh(pair.refreshToken, { correlationId: 'c' });
    const third = await api.service.refresh(second.refreshToken, { correlationId: 'c' });

    // Assert
    expect(await item(`REFRESH#${hashToken(pair.refreshToken)}`, 'REFRESH')).toMatchObject({ used: true });
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('lets exactly one of concurrent refreshes with the same token win', async () => {
    // Arrange
    const api = identityOnTable();
    const { pair } = await signupAndLogin(api);

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => api.service.refresh(pair.refreshToken, { correlationId: 'c' })),
    );

    // Assert
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.every((r) => r.reason instanceof InvalidRefreshTokenError)).toBe(true);
  });

  it('revokes the whole family when a used refresh token is presented again, through the outbox', async () => {
    // Arrange
    const api = identityOnTable();
    const { pair, sessionId, userId } = await signupAndLogin(api);
    const second = await api.service.refresh(pair.refreshToken, { correlationId: 'c' });

    // Act
    const reuse = await api.call({
      method: 'POST',
      path: '/identity/refresh',
      body: { refreshToken: pair.refreshToken },
    });
    const newest = await api.call({
      method: 'POST',
      path: '/identity/refresh',
      body: { refreshToken: second.refreshToken },
    });

    // Assert
    expect(reuse.statusCode).toBe(401);
    expect(newest.statusCode).toBe(401);
    expect(await item(`SESSION#${sessionId}`, 'SESSION')).toMatchObject({
      status: 'REVOKED',
      revokeReason: 'REFRESH_TOKEN_REUSE',
    });
    const revoked = (await outboxEvents()).filter(
      (e) => e.type === 'SessionRevoked' && (e.data as { sessionId: string }).sessionId === sessionId,
    );
    expect(revoked).toHaveLength(1);
    expect(SessionRevoked.envelope.parse(revoked[0]).data).toMatchObject({
      userId,
      reason: 'REFRESH_TOKEN_REUSE',
    });
  });

  it('logs out by revoking the session and writing SessionRevoked in the same transaction, once', async () => {
    // Arrange
    const api = identityOnTable();
    const { pair, sessionId, userId } = await signupAndLogin(api);
    const caller = { userId, sessionId, roles: ['customer'] };

    // Act
    const first = await api.call({ method: 'POST', path: '/identity/logout', caller });
    const again = await api.call({ method: 'POST', path: '/identity/logout', caller });

    // Assert
    expect([first.statusCode, again.statusCode]).toEqual([204, 204]);
    expect(await item(`SESSION#${sessionId}`, 'SESSION')).toMatchObject({
      status: 'REVOKED',
      revokeReason: 'LOGOUT',
    });
    const revoked = (await outboxEvents()).filter(
      (e) => e.type === 'SessionRevoked' && (e.data as { sessionId: string }).sessionId === sessionId,
    );
    expect(revoked).toHaveLength(1);
    const event = SessionRevoked.envelope.parse(revoked[0]);
    expect(event.data.reason).toBe('LOGOUT');
    expect(event.data.tokensValidUntil).toBe(Math.floor(api.clock.now.getTime() / 1000) + 900);
    const refresh = await api.call({
      method: 'POST',
      path: '/identity/refresh',
      body: { refreshToken: pair.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('answers the GetUser facade operation from the table', async () => {
    // Arrange
    const api = identityOnTable();
    const { userId, user } = await signupAndLogin(api);
    const facade = httpHandler(createFacadeRouter(identity.facade ?? [], facadeOperations(api.profiles)), {
      observability: testObservability('identity'),
    });
    const event = {
      resource: '/ops/{operation}',
      path: '/ops/GetUser',
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-correlation-id': 'corr-9' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { operation: 'GetUser' },
      stageVariables: null,
      requestContext: { requestId: 'r1', identity: { userArn: 'arn:aws:iam::111111111111:role/orders-api' } },
      body: JSON.stringify({ userId }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;

    // Act
    const response = await facade(event, lambdaContext());
    const missing = await facade({ ...event, body: JSON.stringify({ userId: 'nobody' }) }, lambdaContext());

    // Assert
    expect(response.statusCode).toBe(200);
    expect(getUserResponseSchema.parse(JSON.parse(response.body))).toEqual({
      userId,
      email: user.email,
      displayName: user.displayName,
      roles: ['customer'],
    });
    expect(response.headers['x-correlation-id']).toBe('corr-9');
    expect(missing.statusCode).toBe(404);
  });
});
