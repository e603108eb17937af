import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { DynamoDbTicketStore } from '../adapters/DynamoDbTicketStore';
import { createWebSocketAuthorizer } from '../functions/createWebSocketAuthorizer';
import { routes } from '../functions/routes';
import platform from '../quantum';
import { TicketService } from '../service/TicketService';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'platform-tickets');
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

const caller = { userId: 'user-1', sessionId: 'session-1', roles: ['customer', 'admin'] };

function platformOnTable(now: () => Date = () => new Date()) {
  const table = { client, tableName, ttlAttribute: 'expiresAt' };
  const denylist = new DynamoDbDenylist(table);
  const tickets = new TicketService({
    store: new DynamoDbTicketStore(table),
    denylist,
    now,
    webSocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/live',
  });
  const observability = testObservability('platform');
  const api = httpHandler(createRouter(platform.routes ?? [], routes(tickets)), { observability });
  const wsAuthorizer = createWebSocketAuthorizer(tickets, observability);
  return { api, wsAuthorizer, denylist };
}

function connectEvent(ticket: string | undefined): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:111111111111:ws/prod/$connect',
    resource: '$connect',
    path: '/',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    pathParameters: null,
    queryStringParameters: ticket === undefined ? null : { ticket },
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

async function issueTicket(api: ReturnType<typeof platformOnTable>['api']): Promise<string> {
  const response = await api(
    httpApiEvent({ method: 'POST', path: '/realtime/tickets', caller }),
    lambdaContext(),
  );
  return realtimeTicketResponseSchema.parse(JSON.parse(response.body)).ticket;
}

describe('WebSocket tickets', () => {
  it('issues a 60-second ticket to an authenticated caller with 201', async () => {
    // Arrange
    const { api } = platformOnTable();

    // Act
    const response = await api(
      httpApiEvent({ method: 'POST', path: '/realtime/tickets', caller }),
      lambdaContext(),
    );

    // Assert
    expect(response.statusCode).toBe(201);
    const body = realtimeTicketResponseSchema.parse(JSON.parse(response.body));
    expect(body).toEqual({
      ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresIn: 60,
      url: `wss://abc123.execute-api.eu-west-1.amazonaws.com/live?ticket=${body.ticket}`,
    });
  });

  it('refuses to issue a ticket without an authorizer context', async () => {
    // Arrange
    const { api } = platformOnTable();

    // Act
    const response = await api(httpApiEvent({ method: 'POST', path: '/realtime/tickets' }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(401);
  });

  it('admits one connection per ticket with an Allow policy and primitive context values', async () => {
    // Arrange
    const { api, wsAuthorizer } = platformOnTable();
    const ticket = await issueTicket(api);

    // Act
    const first = await wsAuthorizer(connectEvent(ticket), lambdaContext());
    const second = await wsAuthorizer(connectEvent(ticket), lambdaContext());

    // Assert
    expect(first.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:eu-west-1:111111111111:ws/prod/$connect',
    });
    expect(first.context).toEqual({ userId: 'user-1', sessionId: 'session-1', roles: 'customer,admin' });
    expect(second.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(second.context).toBeUndefined();
  });

  it('lets exactly one of concurrent connections with the same ticket in', async () => {
    // Arrange
    const { api, wsAuthorizer } = platformOnTable();
    const ticket = await issueTicket(api);

    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => wsAuthorizer(connectEvent(ticket), lambdaContext())),
    );

    // Assert
    const effects = results.map((r) => (r.policyDocument.Statement[0] as { Effect: string }).Effect);
    expect(effects.filter((e) => e === 'Allow')).toHaveLength(1);
  });

  it('denies a missing, unknown or expired ticket, and one whose session was revoked', async () => {
    // Arrange
    let clock = new Date();
    const { api, wsAuthorizer, denylist } = platformOnTable(() => clock);
    const expiring = await issueTicket(api);
    const revoked = await issueTicket(api);
    await denylist.deny('session-1', Math.floor(Date.now() / 1000) + 900);

    // Act
    const missing = await wsAuthorizer(connectEvent(undefined), lambdaContext());
    const unknown = await wsAuthorizer(connectEvent('x'.repeat(43)), lambdaContext());
    const afterRevocation = await wsAuthorizer(connectEvent(revoked), lambdaContext());
    clock = new Date(clock.getTime() + 61_000);
    const expired = await wsAuthorizer(connectEvent(expiring), lambdaContext());

    // Assert
    for (const result of [missing, unknown, afterRevocation, expired]) {
      expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    }
  });
});
