import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestIdSource } from '../http/RequestIds';
import type { WebSocketIdentity } from './webSocketApiEvents';

/** What the management API can do with an open connection. */
export interface ManagedConnection {
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  /** Epoch milliseconds of the last message the client sent (its `connectedAt` before any). */
  readonly lastActiveAt: number;
  readonly identity: WebSocketIdentity;
  /** Sends `data` to the client as one message; false when the connection is closing after all. */
  post(data: Buffer): boolean;
  /** Closes the connection, as `DeleteConnection` does. */
  delete(): void;
}

/** Settings of the `@connections` API. */
export interface ConnectionsApiOptions {
  /** The stage the API is served under: `/{stage}/@connections/{connectionId}`. */
  readonly stage: string;
  /** The open connection with this id, or undefined when there is none (any more). */
  readonly lookup: (connectionId: string) => ManagedConnection | undefined;
  /** Largest `PostToConnection` payload; a larger one gets 413. */
  readonly maxPayloadBytes: number;
  readonly ids: RequestIdSource;
  /** Told about each `PostToConnection` that got past the size check (the developer console). */
  readonly onPush?: (push: ConnectionPush) => void;
}

/** One `PostToConnection`: the data, and whether it reached an open connection (else 410). */
export interface ConnectionPush {
  readonly connectionId: string;
  readonly data: Buffer;
  readonly delivered: boolean;
}

// A client still sending after this many times the limit is cut off rather than drained.
const DISCARD_FACTOR = 4;

/**
 * The API Gateway Management API (`@connections`) of a WebSocket API stage, on AWS's REST-JSON
 * protocol, so `@aws-sdk/client-apigatewaymanagementapi` pointed at `http://host:port/{stage}` works:
 * `POST` sends the body to the connection (413 `PayloadTooLargeException` over the quota), `GET`
 * describes it, `DELETE` closes it; an unknown or closed connection is 410 `GoneException`. Requests
 * need no signature (local credentials); signed ones are accepted as they are.
 *
 * @example
 * ```ts
 * const api = new ConnectionsApi({ stage: 'live', lookup: (id) => connections.get(id), maxPayloadBytes: 131_072, ids });
 * server.on('request', (req, res) => void api.handle(req, res));
 * // POST /live/@connections/GgCJcFJGoAMCJ8w%3D  (body: the message)
 * ```
 */
export class ConnectionsApi {
  readonly #options: ConnectionsApiOptions;
  readonly #prefix: string;

  constructor(options: ConnectionsApiOptions) {
    this.#options = options;
    this.#prefix = `/${options.stage}/@connections/`;
  }

  /** Serves one HTTP request on the API's host; anything but `@connections` is 403, as on AWS. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.#options.ids.requestId();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const segment = path.startsWith(this.#prefix) ? path.slice(this.#prefix.length) : '';
    // One path segment; ids may hold `/` or `+` (base64), which clients percent-encode.
    const connectionId = segment.includes('/') ? '' : decodeSegment(segment);
    if (connectionId === '') {
      req.resume();
      return respond(res, requestId, 403, { message: 'Forbidden' });
    }
    switch (req.method) {
      case 'POST':
        return this.#post(req, res, requestId, connectionId);
      case 'GET':
        req.resume();
        return this.#get(res, requestId, connectionId);
      case 'DELETE':
        req.resume();
        return this.#delete(res, requestId, connectionId);
      default:
        req.resume();
        return respond(res, requestId, 403, { message: 'Forbidden' });
    }
  }

  async #post(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    connectionId: string,
  ): Promise<void> {
    const { maxPayloadBytes } = this.#options;
    let data: Buffer | undefined;
    try {
      data = await readBody(req, maxPayloadBytes);
    } catch {
      res.destroy();
      return;
    }
    if (data === undefined) {
      return respondError(res, requestId, 413, 'PayloadTooLargeException', {
        message: `Request payload is larger than ${maxPayloadBytes} bytes`,
      });
    }
    const connection = this.#options.lookup(connectionId);
    const delivered = connection?.post(data) === true;
    this.#options.onPush?.({ connectionId, data, delivered });
    if (!delivered) return gone(res, requestId, connectionId);
    respond(res, requestId, 200, undefined);
  }

  #get(res: ServerResponse, requestId: string, connectionId: string): void {
    const connection = this.#options.lookup(connectionId);
    if (connection === undefined) {
      gone(res, requestId, connectionId);
      return;
    }
    respond(res, requestId, 200, {
      connectedAt: new Date(connection.connectedAt).toISOString(),
      identity: { sourceIp: connection.identity.sourceIp, userAgent: connection.identity.userAgent ?? '' },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    });
  }

  #delete(res: ServerResponse, requestId: string, connectionId: string): void {
    const connection = this.#options.lookup(connectionId);
    if (connection === undefined) {
      gone(res, requestId, connectionId);
      return;
    }
    connection.delete();
    respond(res, requestId, 204, undefined);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function gone(res: ServerResponse, requestId: string, connectionId: string): void {
  respondError(res, requestId, 410, 'GoneException', { message: `Connection ${connectionId} is gone` });
}

function respondError(
  res: ServerResponse,
  requestId: string,
  statusCode: number,
  errorType: string,
  body: Record<string, unknown>,
): void {
  respond(res, requestId, statusCode, body, { 'x-amzn-errortype': errorType });
}

function respond(
  res: ServerResponse,
  requestId: string,
  statusCode: number,
  body: Record<string, unknown> | undefined,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(statusCode, {
    ...headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/**
 * The whole body, or undefined when it exceeds `limit` bytes. The rest of a too large body is read
 * and dropped so the 413 reaches the client; one far past the limit is cut off.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DISCARD_FACTOR * limit) req.socket.destroy();
      else chunks.length = 0;
    });
    req.once('end', () => resolve(size <= limit ? Buffer.concat(chunks, size) : undefined));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}
