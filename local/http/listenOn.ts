import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Binds `server` to `host:port` (0 picks a free port) and resolves with its base URL; rejects with
 * the listen error (e.g. EADDRINUSE). Shared by the local gateways.
 *
 * @example
 * ```ts
 * const url = await listenOn(createServer(handler), 0, '127.0.0.1'); // 'http://127.0.0.1:40123'
 * ```
 */
export async function listenOn(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}
