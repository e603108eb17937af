import net from 'node:net';
import { type FauxqsServer, startFauxqs } from 'fauxqs';

const ALL_INTERFACES = '0.0.0.0';
const LOOPBACK = '127.0.0.1';

/**
 * fauxqs (the local SQS) started on 127.0.0.1 only. `startFauxqs` has no bind option: it always
 * listens on `0.0.0.0` (its `host` option only names the host in queue URLs), which would let anyone
 * on the developer's network read and send messages, card numbers included. Until it has one, its
 * server is bound to loopback where it binds: while `startFauxqs` runs, a `listen` on `0.0.0.0`
 * (fauxqs's, the only one the call makes) listens on 127.0.0.1 instead; every other `listen` is left
 * as it is, and the original `listen` is back as soon as the call settles. The returned server is
 * fauxqs's own, unchanged (its `address` says `http://127.0.0.1:<port>`).
 *
 * @example
 * ```ts
 * const sqs = await startLocalSqs({ port: 0, logger: false });
 * const client = new SQSClient({ endpoint: sqs.address, region: 'eu-west-1' });
 * await sqs.stop();
 * ```
 */
export async function startLocalSqs(options: Parameters<typeof startFauxqs>[0] = {}): Promise<FauxqsServer> {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenOnLoopback(this: net.Server, ...args: unknown[]) {
    const [first] = args;
    if (typeof first === 'object' && first !== null && (first as net.ListenOptions).host === ALL_INTERFACES) {
      (first as net.ListenOptions).host = LOOPBACK;
    }
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
  try {
    return await startFauxqs(options);
  } finally {
    net.Server.prototype.listen = listen;
  }
}
