import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RandomRequestIds, type RequestIdSource } from '../../http/RequestIds';
import type { ConnectionPush } from '../ConnectionsApi';
import type { WebSocketGateway } from '../WebSocketGateway';
import { type RecordingInvoker, startGateway, TestClient, VALID_TICKET, WS } from './fixtures';

describe('the @connections management API', () => {
  let gateway: WebSocketGateway;
  let url: string;
  let managementUrl: string;
  let invoker: RecordingInvoker;
  let management: ApiGatewayManagementApiClient;
  let client: TestClient;
  let connectionId: string;
  let connectedAt: number;
  const pushes: ConnectionPush[] = [];

  beforeAll(async () => {
    ({ gateway, url, managementUrl, invoker } = await startGateway({
      maxFrameBytes: 1024,
      onPush: (push) => pushes.push(push),
    }));
    // Exactly how a quantum's function builds it on AWS: the stage URL as endpoint, signed requests.
    management = new ApiGatewayManagementApiClient({
      endpoint: managementUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    });
  });
  afterAll(async () => {
    management.destroy();
    await gateway.stop();
  });
  beforeEach(async () => {
    client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);
    const connect = invoker.eventsOfRoute(WS, '$connect').at(-1);
    connectionId = connect?.requestContext.connectionId as string;
    connectedAt = connect?.requestContext.connectedAt as number;
  });
  afterEach(async () => {
    await client.close();
  });

  it('delivers a PostToConnection payload to the client as a text message', async () => {
    // Act
    await management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('{"type":"hello"}') }),
    );

    // Assert
    expect(await client.next()).toBe('{"type":"hello"}');
  });

  it('tells a listener of each push whether it reached the connection', async () => {
    // Arrange
    pushes.length = 0;

    // Act
    await management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('{"n":1}') }),
    );
    const gone = management.send(
      new PostToConnectionCommand({ ConnectionId: 'nobody', Data: Buffer.from('{"n":2}') }),
    );
    await expect(gone).rejects.toBeInstanceOf(GoneException);

    // Assert
    expect(pushes.map((p) => [p.connectionId, p.data.toString(), p.delivered])).toEqual([
      [connectionId, '{"n":1}', true],
      ['nobody', '{"n":2}', false],
    ]);
  });

  it('delivers a payload larger than a frame whole, split in frames', async () => {
    // Arrange
    const big = JSON.stringify({ text: 'é'.repeat(2000) });

    // Act
    await management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(big) }),
    );

    // Assert
    expect(await client.next()).toBe(big);
  });

  it('answers PayloadTooLargeException over the 128 KB message quota', async () => {
    // Act
    const sending = management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024 + 1, 'a') }),
    );

    // Assert
    await expect(sending).rejects.toBeInstanceOf(PayloadTooLargeException);
    await expect(sending).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
  });

  it('describes a connection with GetConnection', async () => {
    // Arrange
    client.send('{"action":"send"}');
    await vi.waitFor(() => expect(invoker.eventsOfRoute(WS, 'send').length).toBeGreaterThan(0));

    // Act
    const described = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));

    // Assert
    expect(described.ConnectedAt?.getTime()).toBe(connectedAt);
    expect(described.LastActiveAt?.getTime()).toBeGreaterThanOrEqual(connectedAt);
    expect(described.Identity?.SourceIp).toBe('127.0.0.1');
  });

  it('closes a connection with DeleteConnection and invokes $disconnect', async () => {
    // Act
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));

    // Assert
    const closed = await client.closed;
    expect(closed.code).toBe(1000);
    await vi.waitFor(() => {
      const disconnect = invoker
        .eventsOfRoute(WS, '$disconnect')
        .find((event) => event.requestContext.connectionId === connectionId);
      expect(disconnect?.requestContext.disconnectStatusCode).toBe(1000);
    });
  });

  it('answers GoneException to every operation once the client has closed', async () => {
    // Arrange
    await client.close();
    await vi.waitFor(() => expect(gateway.connections).toBe(0));

    // Act
    const [post, get, del] = await Promise.allSettled([
      management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('x') })),
      management.send(new GetConnectionCommand({ ConnectionId: connectionId })),
      management.send(new DeleteConnectionCommand({ ConnectionId: connectionId })),
    ]);

    // Assert
    for (const outcome of [post, get, del]) {
      expect(outcome.status).toBe('rejected');
      const reason = outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined;
      expect(reason).toBeInstanceOf(GoneException);
      expect(reason).toMatchObject({ $metadata: { httpStatusCode: 410 } });
    }
  });

  it('accepts unsigned requests, as local credentials are not checked', async () => {
    // Act
    const res = await fetch(`${managementUrl}/@connections/${encodeURIComponent(connectionId)}`, {
      method: 'POST',
      body: 'plain',
    });

    // Assert
    expect(res.status).toBe(200);
    expect(await client.next()).toBe('plain');
  });

  it('answers 403 Forbidden outside /{stage}/@connections/{connectionId}', async () => {
    // Act
    const res = await fetch(`${managementUrl.replace('/live', '/prod')}/@connections/${connectionId}`);

    // Assert
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
  });
});

describe('the @connections management API with base64 connection ids', () => {
  it('reaches a connection whose id holds the / and + of base64', async () => {
    // Arrange
    const random = new RandomRequestIds();
    const ids: RequestIdSource = {
      // The first id a handshake draws is its connection id.
      requestId: (() => {
        let first = true;
        return () => {
          if (!first) return random.requestId();
          first = false;
          return 'ab/CD+ef0123gh=';
        };
      })(),
      traceId: (epochMs) => random.traceId(epochMs),
    };
    const { gateway, url, managementUrl } = await startGateway({ ids });
    const management = new ApiGatewayManagementApiClient({
      endpoint: managementUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    });
    const client = await TestClient.connect(`${url}/live?ticket=${VALID_TICKET}`);

    // Act
    await management.send(
      new PostToConnectionCommand({ ConnectionId: 'ab/CD+ef0123gh=', Data: Buffer.from('hi') }),
    );

    // Assert
    expect(await client.next()).toBe('hi');
    management.destroy();
    await gateway.stop();
  });
});
