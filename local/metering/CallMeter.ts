import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Service prefixes of `X-Amz-Target` (`DynamoDB_20120810.GetItem` -> `dynamodb.GetItem`). */
const SERVICES: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodbstreams',
  AmazonSQS: 'sqs',
  AWSEvents: 'events',
};

/** Headers that belong to one connection, not to the request (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/**
 * Opt-in call metering for the local cloud (`LocalCloud.start({ meterCalls: true })`, `npm start
 * -- --meter-calls`): a reverse proxy on loopback in front of each engine endpoint (DynamoDB Local,
 * fauxqs, the event bus) that counts the requests by operation, from the `X-Amz-Target` header
 * (AWS JSON protocols) or else the `Action` form parameter (SQS query protocol), then forwards them
 * untouched over a keep-alive connection. Functions and engines are given the proxy's URL instead
 * of the engine's only when metering is on, so the default path has no extra hop.
 *
 * @example
 * ```ts
 * const meter = new CallMeter();
 * const url = await meter.proxy('dynamodb', 'http://127.0.0.1:8000');
 * // ... DynamoDB clients use `url` ...
 * meter.counts(); // { 'dynamodb.GetItem': 12, 'dynamodb.TransactWriteItems': 3 }
 * await meter.stop();
 * ```
 */
export class CallMeter {
  readonly #counts = new Map<string, number>();
  readonly #servers: http.Server[] = [];
  readonly #agents: http.Agent[] = [];
  readonly #sources: Array<{ prefix: string; counts: () => ReadonlyMap<string, number> }> = [];

  /**
   * Starts a proxy to `upstream` (an `http://host:port` URL) on a free loopback port; resolves with
   * its URL. `service` names the calls whose target has no known prefix (`<service>.<operation>`).
   */
  async proxy(service: string, upstream: string): Promise<string> {
    const target = new URL(upstream);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    this.#agents.push(agent);
    const server = http.createServer((req, res) => this.#forward(service, target, agent, req, res));
    // Longer than the SDK's idle sockets, so a reused client socket is never closed under a request.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.requestTimeout = 0; // SQS long polls (ReceiveMessage WaitTimeSeconds=20) stay open
    this.#servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Adds counts kept elsewhere (e.g. Lambda invocations per function) under `<prefix>.<key>`. */
  addSource(prefix: string, counts: () => ReadonlyMap<string, number>): void {
    this.#sources.push({ prefix, counts });
  }

  /** Calls so far by `<service>.<operation>`, plus the added sources, sorted by key. */
  counts(): Record<string, number> {
    const all = new Map(this.#counts);
    for (const source of this.#sources)
      for (const [key, n] of source.counts()) all.set(`${source.prefix}.${key}`, n);
    return Object.fromEntries([...all].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Closes the proxies and their upstream connections. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    for (const agent of this.#agents) agent.destroy();
  }

  #count(key: string): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  #forward(
    service: string,
    target: URL,
    agent: http.Agent,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void {
    const send = (body?: Buffer): void => {
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: withoutHopByHop(req.headers),
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        if (res.headersSent) res.destroy(error);
        else res.writeHead(502, { 'content-type': 'text/plain' }).end(`call meter: ${error.message}`);
      });
      req.on('error', (error) => upstream.destroy(error));
      if (body === undefined) req.pipe(upstream);
      else upstream.end(body);
    };

    const amzTarget = req.headers['x-amz-target'];
    if (typeof amzTarget === 'string') {
      const dot = amzTarget.lastIndexOf('.');
      const prefix = dot < 0 ? '' : amzTarget.slice(0, dot);
      this.#count(`${SERVICES[prefix] ?? service}.${amzTarget.slice(dot + 1)}`);
      send();
      return;
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      const action = new URL(req.url ?? '/', 'http://local').searchParams.get('Action');
      this.#count(`${service}.${action ?? `${req.method} ${req.url?.split('?')[0]}`}`);
      send();
      return;
    }
    // Query protocol: the operation is the `Action` form field, so the (small) body is read first.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action');
      this.#count(`${service}.${action ?? 'unknown'}`);
      send(body);
    });
  }
}
