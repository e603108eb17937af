import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port by binding port 0 on `host` and releasing it. Another process
 * could take it before the caller binds it; callers that spawn a server retry on a bind failure.
 *
 * @example
 * ```ts
 * const port = await findFreePort(); // e.g. 41873
 * ```
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => (port === undefined ? reject(new Error('no port assigned')) : resolve(port)));
    });
  });
}
