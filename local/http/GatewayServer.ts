import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { RandomRequestIds, type RequestIdSource, requestTimeFormatter } from './RequestIds';

/** Options every local gateway takes. */
export interface GatewayServerOptions {
  /** TCP port; 0 picks a free one. @default the gateway's own (see {@link GatewayKind.defaultPort}) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Largest request body; a larger one gets 413. @default 10485760 (API Gateway's payload quota, 10 MB) */
  readonly maxPayloadBytes?: number;
  /** Clock in epoch milliseconds (request times, and what else the gateway dates). @default Date.now */
  readonly now?: () => number;
  /** Request and trace ids. @default random, AWS-shaped */
  readonly ids?: RequestIdSource;
}

/** What sets one gateway apart from another: its name in messages, its defaults, its errors. */
export interface GatewayKind {
  /** How messages name the gateway, e.g. `HTTP gateway`. */
  readonly name: string;
  readonly defaultPort: number;
  /** Options of the `node:http` server (e.g. `maxHeaderSize`). @default {} */
  readonly serverOptions?: ServerOptions;
  /** The error for an option with a bad value (the message names the option and the value). */
  readonly configurationError: (message: string) => Error;
  /** The error `start()` throws on a gateway that is already started. */
  readonly alreadyStarted: (url: string | undefined) => Error;
  /** The error `start()` throws when the port cannot be bound (`cause`: the listen error). */
  readonly listenError: (message: string, cause: unknown) => Error;
}

/**
 * What every local gateway (the HTTP API, the facade) is: a `node:http` server that binds
 * `host:port` (0 picks a free port, race-free), enforces the payload quota, stamps each request
 * with AWS-shaped ids and times, and stops at once, closing every open connection (idle keep-alive
 * or in flight), so a stopping local cloud never waits on a client. A gateway extends it and serves
 * each request in {@link handle}.
 *
 * @example
 * ```ts
 * class EchoGateway extends GatewayServer {
 *   constructor(options: GatewayServerOptions) {
 *     super(options, { name: 'Echo gateway', defaultPort: 0, configurationError: (m) => new Error(m), ... });
 *   }
 *   protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
 *     res.end(this.ids.requestId());
 *   }
 * }
 * const { url } = await new EchoGateway({}).start(); // 'http://127.0.0.1:40123'
 * ```
 */
export abstract class GatewayServer {
  /** Largest request body the gateway reads. */
  protected readonly maxPayloadBytes: number;
  protected readonly now: () => number;
  protected readonly ids: RequestIdSource;
  /** `requestContext.time` of a request that arrived at an epoch millisecond. */
  protected readonly requestTime = requestTimeFormatter();
  readonly #kind: GatewayKind;
  readonly #port: number;
  readonly #host: string;
  #server: Server | undefined;
  #url: string | undefined;
  #boundPort = 0;

  /** @throws the kind's configuration error when `maxPayloadBytes` or `port` is out of range. */
  protected constructor(options: GatewayServerOptions, kind: GatewayKind) {
    this.#kind = kind;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 10 * 1024 * 1024;
    requireInteger(kind, 'maxPayloadBytes', this.maxPayloadBytes, 1, Number.MAX_SAFE_INTEGER);
    this.#port = options.port ?? kind.defaultPort;
    requireInteger(kind, 'port', this.#port, 0, 65_535);
    this.#host = options.host ?? '127.0.0.1';
    this.now = options.now ?? Date.now;
    this.ids = options.ids ?? new RandomRequestIds();
  }

  /** Serves one request. The gateway answers its own failures, so this never rejects. */
  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Starts listening; resolves with the base URL once the port is bound. */
  async start(): Promise<{ readonly url: string }> {
    if (this.#server !== undefined) throw this.#kind.alreadyStarted(this.#url);
    const server = createServer(this.#kind.serverOptions ?? {}, (req, res) => {
      void this.handle(req, res);
    });
    this.#server = server;
    try {
      await listen(server, this.#port, this.#host);
    } catch (error) {
      this.#server = undefined;
      throw this.#kind.listenError(`${this.#kind.name} cannot listen on ${this.#host}:${this.#port}`, error);
    }
    this.#boundPort = (server.address() as AddressInfo).port;
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    this.#url = `http://${host}:${this.#boundPort}`;
    return { url: this.#url };
  }

  /** Stops listening and closes every connection at once, idle keep-alive ones and in-flight ones. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#url = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** The base URL while started. */
  get url(): string | undefined {
    return this.#url;
  }

  /** The port last bound (what API Gateway reports in `x-forwarded-port`). */
  protected get port(): number {
    return this.#boundPort;
  }
}

/**
 * Checks an integer option of a gateway.
 *
 * @throws the kind's configuration error, naming the option, the range and the bad value.
 *
 * @example
 * ```ts
 * requireInteger(httpGateway, 'integrationTimeoutMs', 30_001, 50, 30_000);
 * // throws httpGateway.configurationError(
 * //   "HTTP gateway option 'integrationTimeoutMs' must be an integer from 50 to 30000, got 30001")
 * ```
 */
export function requireInteger(
  kind: GatewayKind,
  option: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw kind.configurationError(
      `${kind.name} option '${option}' must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
}

/**
 * Starts `server` on `host:port`, rejecting with the server's error (a port in use) instead of
 * emitting it.
 *
 * @example
 * ```ts
 * await listen(createServer(handler), 0, '127.0.0.1');
 * ```
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
