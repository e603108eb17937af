import type { Server } from 'node:http';

/**
 * Stops `server` at once: no new connections, and every open one (idle keep-alive or in flight)
 * closed, so a stopping local cloud never waits on a client.
 *
 * @example
 * ```ts
 * await closeNow(server);
 * ```
 */
export async function closeNow(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
