import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketConfigurationError, WebSocketStateError } from '../errors';
import { WebSocketGateway } from '../WebSocketGateway';
import {
  IntegrationEventSchema,
  RecordingInvoker,
  startGateway,
  TestClient,
  VALID_TICKET,
  WS,
} from './fixtures';

describe('WebSocketGateway lifecycle', () => {
  const gateways: WebSocketGateway[] = [];

  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  });

  async function started(...args: Parameters<typeof startGateway>): ReturnType<typeof startGateway> {
    const result = await startGateway(...args);
    gateways.push(result.gateway);
    return result;
  }

  it('invokes $disconnect with the code and reason the client closed with', async () => {
    // Arrange
    const { url, invoker } = await started();
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);

    // Act
    await client.close(4000, 'leaving the room');

    // Assert
    await vi.waitFor(() => expect(invoker.eventsOfRoute(WS, '$disconnect')).toHaveLength(1));
    const event = invoker.eventsOfRoute(WS, '$disconnect')[0];
    const parsed = IntegrationEventSchema.parse(event);
    expect(parsed.requestContext.eventType).toBe('DISCONNECT');
    expect(event?.requestContext).toMatchObject({
      disconnectStatusCode: 4000,
      disconnectReason: 'leaving the room',
      authorizer: expect.objectContaining({ userId: 'u-1' }),
      connectionId: invoker.eventsOfRoute(WS, '$connect')[0]?.requestContext.connectionId,
    });
  });

  it('reports 1005 to $disconnect when the client closes without a status', async () => {
    // Arrange
    const { url, invoker, gateway } = await started();
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);

    // Act
    await client.close();

    // Assert
    await vi.waitFor(() => expect(invoker.eventsOfRoute(WS, '$disconnect')).toHaveLength(1));
    expect(invoker.eventsOfRoute(WS, '$disconnect')[0]?.requestContext).toMatchObject({
      disconnectStatusCode: 1005,
      disconnectReason: 'Client-side close frame status not set',
    });
    expect(gateway.connections).toBe(0);
  });

  it('closes an idle connection with 1001 and invokes $disconnect', async () => {
    // Arrange
    const { url, invoker } = await started({ idleTimeoutMs: 150 });
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);

    // Act
    const closed = await client.closed;

    // Assert
    expect(closed).toEqual({ code: 1001, reason: 'Going away' });
    await vi.waitFor(() =>
      expect(invoker.eventsOfRoute(WS, '$disconnect')[0]?.requestContext).toMatchObject({
        disconnectStatusCode: 1001,
        disconnectReason: 'Going away',
      }),
    );
  });

  it('keeps a connection whose client keeps sending open past the idle timeout', async () => {
    // Arrange
    const { url } = await started({ idleTimeoutMs: 300 });
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);

    // Act
    for (let i = 0; i < 6; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.send('{"action":"send"}');
    }

    // Assert
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    await client.close();
  });

  it('closes a connection that reaches the maximum duration with 1001 even while active', async () => {
    // Arrange
    const { url } = await started({ maxConnectionMs: 300 });
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);
    const sending = setInterval(() => client.send('{"action":"send"}'), 50);

    // Act
    const closed = await client.closed;
    clearInterval(sending);

    // Assert
    expect(closed.code).toBe(1001);
  });

  it('stops promptly: closes every socket with 1001, invokes $disconnect and leaves no open handle', async () => {
    // Arrange
    const handlesBefore = tcpHandles();
    const { gateway, url, invoker, managementUrl } = await started();
    const clients = await Promise.all(
      [1, 2, 3].map(() => TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`)),
    );
    // A keep-alive HTTP connection to the management API, left idle.
    await fetch(`${managementUrl}/@connections/unknown`, { method: 'GET' });

    // Act
    const started_ = Date.now();
    await gateway.stop();
    const elapsed = Date.now() - started_;

    // Assert
    const codes = await Promise.all(clients.map((client) => client.closed));
    expect(codes.map((c) => c.code)).toEqual([1001, 1001, 1001]);
    expect(invoker.eventsOfRoute(WS, '$disconnect')).toHaveLength(3);
    expect(gateway.connections).toBe(0);
    expect(gateway.url).toBeUndefined();
    expect(elapsed).toBeLessThan(2000);
    await vi.waitFor(() => expect(tcpHandles()).toBeLessThanOrEqual(handlesBefore));
  });

  it('starts again after a stop, and refuses to start twice', async () => {
    // Arrange
    const { gateway } = await started();
    await gateway.stop();

    // Act
    const { url } = await gateway.start();

    // Assert
    await expect(gateway.start()).rejects.toBeInstanceOf(WebSocketStateError);
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);
    expect(gateway.connections).toBe(1);
    await client.close();
  });

  it('rejects options that no WebSocket API can have, naming the option and the value', () => {
    // Arrange
    const invoker = new RecordingInvoker();
    const build = (options: Partial<ConstructorParameters<typeof WebSocketGateway>[0]>) => () =>
      new WebSocketGateway({ routes: [], invoker, ...options });

    // Act / Assert
    expect(build({ maxFrameBytes: 0 })).toThrow(/'maxFrameBytes'.*got 0/);
    expect(build({ integrationTimeoutMs: 30_000 })).toThrow(/'integrationTimeoutMs'.*50 to 29000, got 30000/);
    expect(build({ stage: 'li ve' })).toThrow(WebSocketConfigurationError);
    expect(build({ routes: [{ routeKey: '$connectx', functionId: WS }] })).toThrow(/reserved/);
    expect(
      build({
        routes: [
          { routeKey: 'send', functionId: WS },
          { routeKey: 'send', functionId: WS },
        ],
      }),
    ).toThrow(/declared twice/);
  });
});

/** Open TCP servers and sockets of this process. */
function tcpHandles(): number {
  return process
    .getActiveResourcesInfo()
    .filter((type) => type === 'TCPServerWrap' || type === 'TCPSocketWrap').length;
}
