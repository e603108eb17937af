import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocketGateway, WebSocketGatewayReport } from '../WebSocketGateway';
import {
  AUTHORIZER,
  AuthorizerEventSchema,
  chatFunction,
  IntegrationEventSchema,
  policy,
  type RecordingInvoker,
  refusal,
  startGateway,
  TestClient,
  ticketAuthorizer,
  VALID_TICKET,
  WS,
} from './fixtures';

describe('WebSocketGateway handshake', () => {
  let gateway: WebSocketGateway;
  let url: string;
  let invoker: RecordingInvoker;
  const errors: WebSocketGatewayReport[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({
      authorizerTimeoutMs: 100,
      integrationTimeoutMs: 100,
      onError: (report) => errors.push(report),
    }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => {
    errors.length = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    invoker.on(AUTHORIZER, ticketAuthorizer).on(WS, chatFunction);
  });

  async function connect(query = `?ticket=${VALID_TICKET}`, path = '/live'): Promise<TestClient> {
    const client = await TestClient.connect(`${url}${path}${query}`);
    clients.push(client);
    return client;
  }

  it('answers 401 without invoking the authorizer when the ticket is missing', async () => {
    // Arrange
    const before = invoker.eventsOf(AUTHORIZER).length;

    // Act
    const refused = await refusal(`${url}/live`);

    // Assert
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Unauthorized' });
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(before);
  });

  it('answers 401 without invoking the authorizer when the ticket is empty', async () => {
    // Arrange
    const before = invoker.eventsOf(AUTHORIZER).length;

    // Act
    const refused = await refusal(`${url}/live?ticket=&other=1`);

    // Assert
    expect(refused.status).toBe(401);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(before);
  });

  it('answers 403 and never runs $connect when the authorizer denies', async () => {
    // Arrange
    const connects = invoker.eventsOfRoute(WS, '$connect').length;

    // Act
    const refused = await refusal(`${url}/live?ticket=stolen`);

    // Assert
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Forbidden' });
    expect(invoker.eventsOfRoute(WS, '$connect')).toHaveLength(connects);
  });

  it('answers 403 when the policy allows another resource than the $connect method ARN', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () =>
      policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:other/live/$connect'),
    );

    // Act
    const refused = await refusal(`${url}/live?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(403);
  });

  it('answers 500 and reports why when the authorizer throws', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () => {
      throw new TypeError('ticket table unreachable');
    });

    // Act
    const refused = await refusal(`${url}/live?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Internal server error' });
    expect(errors).toEqual([
      expect.objectContaining({
        routeKey: '$connect',
        statusCode: 500,
        reason: expect.stringContaining('ticket table unreachable'),
      }),
    ]);
  });

  it('answers 500 when the authorizer answers a simple response instead of a policy', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () => ({ isAuthorized: true }));

    // Act
    const refused = await refusal(`${url}/live?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(500);
  });

  it('answers 500 when the authorizer does not answer within its timeout', async () => {
    // Arrange
    invoker.on(
      AUTHORIZER,
      () => new Promise((resolve) => setTimeout(() => resolve(policy('Allow', '*')), 400)),
    );

    // Act
    const refused = await refusal(`${url}/live?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(500);
    expect(errors[0]?.reason).toMatch(/timed out/);
  });

  it('invokes the authorizer with the WebSocket REQUEST authorizer event Powertools parses', async () => {
    // Act
    const client = await connect(`?ticket=${VALID_TICKET}&lang=fr&lang=en`);

    // Assert
    const event = invoker.eventsOf(AUTHORIZER).at(-1);
    const parsed = AuthorizerEventSchema.parse(event);
    expect(parsed.type).toBe('REQUEST');
    expect(parsed.methodArn).toBe('arn:aws:execute-api:us-east-1:000000000000:quantaws/live/$connect');
    expect(parsed.queryStringParameters).toEqual({ ticket: VALID_TICKET, lang: 'en' });
    expect(parsed.multiValueQueryStringParameters).toEqual({ ticket: [VALID_TICKET], lang: ['fr', 'en'] });
    expect(parsed.stageVariables).toEqual({});
    expect(parsed.headers?.Upgrade).toBe('websocket');
    expect(parsed.headers?.['X-Forwarded-For']).toBe('127.0.0.1');
    expect(parsed.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: 'live',
      apiId: 'quantaws',
      identity: { sourceIp: '127.0.0.1' },
    });
    expect(parsed.requestContext.requestId).toBe(parsed.requestContext.extendedRequestId);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('runs $connect with the authorizer context stringified, its principalId and the same connection id', async () => {
    // Act
    await connect();

    // Assert
    const authorizerEvent = invoker.eventsOf(AUTHORIZER).at(-1) as {
      requestContext: { connectionId: string };
    };
    const connectEvent = invoker.eventsOfRoute(WS, '$connect').at(-1);
    const parsed = IntegrationEventSchema.parse(connectEvent);
    expect(parsed.requestContext.eventType).toBe('CONNECT');
    expect(parsed.requestContext.connectionId).toBe(authorizerEvent.requestContext.connectionId);
    expect(connectEvent?.requestContext.authorizer).toEqual({
      userId: 'u-1',
      roles: 'customer',
      sessionId: 's-1',
      admin: 'false',
      level: '3',
      principalId: 'u-1',
      integrationLatency: expect.any(Number),
    });
    expect(parsed.queryStringParameters).toEqual({ ticket: VALID_TICKET });
    expect(parsed.headers).not.toHaveProperty('Upgrade');
    expect(parsed.headers?.['Sec-WebSocket-Key']).toEqual(expect.any(String));
  });

  it('invokes the authorizer again for every handshake, as nothing is cached', async () => {
    // Arrange
    const before = invoker.eventsOf(AUTHORIZER).length;

    // Act
    await connect();
    await connect();

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(before + 2);
    expect(gateway.connections).toBe(2);
  });

  it('refuses the handshake with the status $connect answers and opens nothing', async () => {
    // Arrange
    invoker.on(WS, () => ({ statusCode: 429, body: 'slow down' }));

    // Act
    const refused = await refusal(`${url}/live?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(429);
    expect(refused.body).toBe('slow down');
    expect(gateway.connections).toBe(0);
  });

  it('refuses the handshake with 500 when $connect throws', async () => {
    // Arrange
    invoker.on(WS, () => {
      throw new Error('table missing');
    });

    // Act
    const refused = await refusal(`${url}/live?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(500);
    expect(errors[0]).toMatchObject({ routeKey: '$connect', statusCode: 500 });
  });

  it('accepts a $connect that answers nothing', async () => {
    // Arrange
    invoker.on(WS, () => undefined);

    // Act
    const client = await connect();

    // Assert
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('selects the subprotocol $connect answers in Sec-WebSocket-Protocol', async () => {
    // Arrange
    invoker.on(WS, () => ({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'chat.v1' } }));

    // Act
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`, ['chat.v2', 'chat.v1']);
    clients.push(client);

    // Assert
    expect(client.socket.protocol).toBe('chat.v1');
  });

  it('accepts handshakes at the root as well as at the stage path', async () => {
    // Act
    const client = await connect(`?ticket=${VALID_TICKET}`, '/');

    // Assert
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('answers 403 without invoking anything on a path that is not the stage', async () => {
    // Arrange
    const before = invoker.eventsOf(AUTHORIZER).length;

    // Act
    const refused = await refusal(`${url}/prod?ticket=${VALID_TICKET}`);

    // Assert
    expect(refused.status).toBe(403);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(before);
  });
});
