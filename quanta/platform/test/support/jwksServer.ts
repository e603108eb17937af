import { createServer, type Server } from 'node:http';

/** A local JWKS endpoint on port 0 (plain HTTP, like the local cloud's), counting its requests. */
export interface JwksServer {
  readonly url: string;
  readonly requests: () => number;
  /** Changes what the endpoint answers. */
  respond(status: number, body: string, contentType?: string, delayMs?: number): void;
  close(): Promise<void>;
}

export async function startJwksServer(jwks: unknown): Promise<JwksServer> {
  let answer = { status: 200, body: JSON.stringify(jwks), contentType: 'application/json', delayMs: 0 };
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    setTimeout(() => {
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      res.end(answer.body);
    }, answer.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/identity/.well-known/jwks.json`,
    requests: () => requests,
    respond: (status, body, contentType = 'application/json', delayMs = 0) => {
      answer = { status, body, contentType, delayMs };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
