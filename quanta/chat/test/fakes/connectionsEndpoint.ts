import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stand-in `@connections` endpoint received. */
export interface ConnectionsCall {
  readonly method: string;
  readonly connectionId: string;
  /** The pushed frame, parsed (POST only). */
  readonly frame?: unknown;
}

/**
 * A stand-in for the WebSocket API's `@connections` endpoint on loopback, under the stage path
 * `/live` (as `WEBSOCKET_MANAGEMENT_URL` names it locally): `POST /live/@connections/{id}` pushes a
 * frame, `DELETE` closes the connection; a connection not in `open` answers 410 `GoneException`,
 * exactly as API Gateway does.
 *
 * @example
 * ```ts
 * const endpoint = await startConnectionsEndpoint();
 * endpoint.open.add('Abc=');
 * vi.stubEnv('WEBSOCKET_MANAGEMENT_URL', endpoint.url);
 * ```
 */
export async function startConnectionsEndpoint() {
  const open = new Set<string>();
  const calls: ConnectionsCall[] = [];
  const server: Server = createServer(async (req, res) => {
    const match = /^\/live\/@connections\/([^/?]+)$/.exec(req.url ?? '');
    if (match?.[1] === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const connectionId = decodeURIComponent(match[1]);
    const body = await bodyOf(req);
    if (!open.has(connectionId)) {
      res
        .writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' })
        .end('{"message":null}');
      return;
    }
    if (req.method === 'POST') {
      calls.push({ method: 'POST', connectionId, frame: JSON.parse(body) });
      res.writeHead(200).end();
    } else if (req.method === 'DELETE') {
      open.delete(connectionId);
      calls.push({ method: 'DELETE', connectionId });
      res.writeHead(204).end();
    } else {
      res.writeHead(405).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/live`;
  return {
    url,
    open,
    calls,
    /** Frames pushed to `connectionId`, in order. */
    framesOf: (connectionId: string) =>
      calls.filter((c) => c.method === 'POST' && c.connectionId === connectionId).map((c) => c.frame),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}
