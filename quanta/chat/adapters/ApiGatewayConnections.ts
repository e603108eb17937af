import {
  type ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerFrame } from '@quanta/contracts/chat';
import type { ConnectionGateway, DeliveryOutcome } from '../domain/ConnectionGateway';

const encoder = new TextEncoder();

/**
 * {@link ConnectionGateway} on the WebSocket API's `@connections` endpoint (the client's endpoint is
 * the function's `WEBSOCKET_MANAGEMENT_URL`: `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`,
 * locally `http://127.0.0.1:3001/live`). `PostToConnection` sends one JSON text frame;
 * `DeleteConnection` closes the socket. A 410 `GoneException` (the client has gone) is the `GONE`
 * outcome, not an error. The SDK retries throttling and 5xx itself.
 *
 * @example
 * ```ts
 * const gateway = new ApiGatewayConnections(new ApiGatewayManagementApiClient({ endpoint: env.WEBSOCKET_MANAGEMENT_URL }));
 * await gateway.post('Abc=', { type: 'left', roomId: 'r-1' }); // 'DELIVERED' | 'GONE'
 * ```
 */
export class ApiGatewayConnections implements ConnectionGateway {
  readonly #client: ApiGatewayManagementApiClient;

  constructor(client: ApiGatewayManagementApiClient) {
    this.#client = client;
  }

  async post(connectionId: string, frame: ServerFrame): Promise<DeliveryOutcome> {
    const Data = encoder.encode(JSON.stringify(frame));
    return this.#call(() =>
      this.#client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data })),
    );
  }

  async close(connectionId: string): Promise<DeliveryOutcome> {
    return this.#call(() => this.#client.send(new DeleteConnectionCommand({ ConnectionId: connectionId })));
  }

  async #call(send: () => Promise<unknown>): Promise<DeliveryOutcome> {
    try {
      await send();
      return 'DELIVERED';
    } catch (error) {
      if (isGone(error)) return 'GONE';
      throw error;
    }
  }
}

/** A 410: API Gateway's `GoneException`, or a bare 410 from an endpoint that names no error type. */
function isGone(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as Error & { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'GoneException' || status === 410;
}
