import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocketGateway, WebSocketGatewayReport } from '../WebSocketGateway';
import {
  chatFunction,
  IntegrationEventSchema,
  type RecordingInvoker,
  startGateway,
  TestClient,
  VALID_TICKET,
  WS,
} from './fixtures';

describe('WebSocketGateway messages', () => {
  let gateway: WebSocketGateway;
  let url: string;
  let invoker: RecordingInvoker;
  let client: TestClient;
  const errors: WebSocketGatewayReport[] = [];

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({
      integrationTimeoutMs: 100,
      maxFrameBytes: 1024,
      onError: (report) => errors.push(report),
    }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(async () => {
    errors.length = 0;
    client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);
  });
  afterEach(async () => {
    await client.close();
    invoker.on(WS, chatFunction);
  });

  /** Sends `data` and waits until the `ws` function saw a message event for it. */
  async function sendAndWait(
    data: string,
  ): Promise<NonNullable<ReturnType<RecordingInvoker['eventsOf']>[number]>> {
    const before = invoker.eventsOf(WS).length;
    client.send(data);
    await vi.waitFor(() => expect(invoker.eventsOf(WS).length).toBeGreaterThan(before));
    return invoker.eventsOf(WS).at(-1) as NonNullable<ReturnType<RecordingInvoker['eventsOf']>[number]>;
  }

  it('routes a message to the route its action names, with the MESSAGE event shape', async () => {
    // Act
    const event = await sendAndWait('{"action":"send","roomId":"r-1","text":"hi"}');

    // Assert
    const parsed = IntegrationEventSchema.parse(event);
    expect(parsed.requestContext.routeKey).toBe('send');
    expect(parsed.requestContext.eventType).toBe('MESSAGE');
    expect(parsed.requestContext.messageDirection).toBe('IN');
    expect(parsed.body).toBe('{"action":"send","roomId":"r-1","text":"hi"}');
    expect(parsed.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('headers');
    const context = event.requestContext as Record<string, unknown>;
    expect(context.messageId).toEqual(expect.any(String));
    expect(context.messageId).not.toBe(context.requestId);
  });

  it('carries the authorizer context and the connection facts of $connect on every message', async () => {
    // Act
    const event = (await sendAndWait('{"action":"send"}')) as { requestContext: Record<string, unknown> };

    // Assert
    const connect = invoker.eventsOfRoute(WS, '$connect').at(-1);
    expect(event.requestContext.authorizer).toEqual(connect?.requestContext.authorizer);
    expect(event.requestContext.authorizer).toMatchObject({ userId: 'u-1', principalId: 'u-1' });
    expect(event.requestContext.connectionId).toBe(connect?.requestContext.connectionId);
    expect(event.requestContext.connectedAt).toBe(connect?.requestContext.connectedAt);
  });

  it('routes a message that is not JSON to $default', async () => {
    // Act
    const event = (await sendAndWait('hello there')) as { requestContext: Record<string, unknown> };

    // Assert
    expect(event.requestContext.routeKey).toBe('$default');
  });

  it('routes an unknown action, a non-string action and a message without action to $default', async () => {
    // Act
    const unknown = (await sendAndWait('{"action":"dance"}')) as { requestContext: Record<string, unknown> };
    const numeric = (await sendAndWait('{"action":7}')) as { requestContext: Record<string, unknown> };
    const none = (await sendAndWait('{"text":"hi"}')) as { requestContext: Record<string, unknown> };
    const reserved = (await sendAndWait('{"action":"$connect"}')) as {
      requestContext: Record<string, unknown>;
    };

    // Assert
    expect(unknown.requestContext.routeKey).toBe('$default');
    expect(numeric.requestContext.routeKey).toBe('$default');
    expect(none.requestContext.routeKey).toBe('$default');
    expect(reserved.requestContext.routeKey).toBe('$default');
  });

  it('sends back the body the function returns, as a route response', async () => {
    // Act
    client.send('{"action":"echo","n":1}');

    // Assert
    expect(await client.next()).toBe('{"action":"echo","n":1}');
  });

  it('sends nothing back when the function returns no body', async () => {
    // Act
    await sendAndWait('{"action":"send"}');
    client.send('{"action":"echo","n":2}');

    // Assert
    expect(await client.next()).toBe('{"action":"echo","n":2}');
  });

  it('answers Internal server error with the ids and keeps the connection open when the function fails', async () => {
    // Arrange
    invoker.on(WS, () => {
      throw new Error('boom');
    });

    // Act
    client.send('{"action":"send"}');
    const answer = JSON.parse(await client.next()) as Record<string, unknown>;

    // Assert
    const event = invoker.eventsOf(WS).at(-1) as { requestContext: Record<string, unknown> };
    expect(answer).toEqual({
      message: 'Internal server error',
      connectionId: event.requestContext.connectionId,
      requestId: event.requestContext.requestId,
    });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(errors).toEqual([
      expect.objectContaining({ routeKey: 'send', reason: expect.stringContaining('boom') }),
    ]);
  });

  it('answers Endpoint request timed out when the function outlives the integration timeout', async () => {
    // Arrange
    invoker.on(WS, () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 400)));

    // Act
    client.send('{"action":"send"}');
    const answer = JSON.parse(await client.next()) as Record<string, unknown>;

    // Assert
    expect(answer.message).toBe('Endpoint request timed out');
  });

  it('closes the connection with 1009 and reports it to $disconnect when a message exceeds the frame quota', async () => {
    // Act
    client.send(`{"action":"send","text":"${'x'.repeat(1100)}"}`);
    const closed = await client.closed;

    // Assert
    expect(closed.code).toBe(1009);
    await vi.waitFor(() => {
      const disconnect = invoker.eventsOfRoute(WS, '$disconnect').at(-1);
      expect(disconnect?.requestContext.disconnectStatusCode).toBe(1009);
    });
  });

  it('accepts a message of exactly the frame quota', async () => {
    // Arrange
    const message = `{"action":"echo","t":"${'y'.repeat(1024 - 24)}"}`;

    // Act
    client.send(message);

    // Assert
    expect(Buffer.byteLength(message)).toBe(1024);
    expect(await client.next()).toBe(message);
  });

  it('closes the connection with 1003 when the client sends a binary frame', async () => {
    // Act
    client.send(Buffer.from([1, 2, 3]));
    const closed = await client.closed;

    // Assert
    expect(closed.code).toBe(1003);
  });
});

describe('WebSocketGateway without $default', () => {
  let gateway: WebSocketGateway;
  let url: string;
  let invoker: RecordingInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({}, ['$connect', 'send']));
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('answers Forbidden with the connection and request ids to a message no route takes', async () => {
    // Arrange
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);
    const before = invoker.eventsOf(WS).length;

    // Act
    client.send('{"action":"dance"}');
    const answer = JSON.parse(await client.next()) as Record<string, unknown>;

    // Assert
    expect(answer).toEqual({
      message: 'Forbidden',
      connectionId: expect.any(String),
      requestId: expect.any(String),
    });
    expect(answer.connectionId).toBe(
      invoker.eventsOfRoute(WS, '$connect').at(-1)?.requestContext.connectionId,
    );
    expect(invoker.eventsOf(WS)).toHaveLength(before);
    await client.close();
  });

  it('does not send the function body back on a route declared without a route response', async () => {
    // Arrange
    await gateway.stop();
    ({ gateway, url, invoker } = await startGateway({
      routes: [{ routeKey: 'echo', functionId: WS, returnResponse: false }],
      authorizerFunctionId: undefined,
    }));
    const client = await TestClient.connect(`${url}/live`);

    // Act
    client.send('{"action":"echo"}');
    await vi.waitFor(() => expect(invoker.eventsOf(WS)).toHaveLength(1));

    // Assert
    await expect(client.next(200)).rejects.toThrow('no message received');
    await client.close();
  });
});
