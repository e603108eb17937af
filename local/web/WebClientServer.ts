import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { type ConnectSources, securityHeaders } from '../../web/securityHeaders';
import { GatewayServer } from '../http/GatewayServer';
import { WebClientServerError } from './errors';

/** What `/config.json` tells the web client (the shape `web/src/config.ts` parses). */
export interface WebClientConfig extends ConnectSources {
  /** The developer console, when it runs; each order links to its trace there. */
  readonly consoleUrl?: string;
}

/** Options of {@link WebClientServer}. */
export interface WebClientServerOptions {
  /** The built app's folder, or its build under way: requests wait for it. */
  readonly site: Promise<{ readonly dir: string }>;
  /**
   * Served as `/config.json`; its URLs also make the Content-Security-Policy. May still be coming (the
   * server can bind before the local cloud it points at has started): requests wait for it.
   */
  readonly config: WebClientConfig | Promise<WebClientConfig>;
  /** @default 5173 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** Content types by extension; anything else is `application/octet-stream`. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built web client as CloudFront serves the Web stack's bucket: the files with their
 * content types, the security headers of the stack's response headers policy (same module, so the
 * CSP is the deployed one), `/config.json` from memory, and the SPA fallback: any path that is not a
 * file answers `index.html` with 200, so `/orders` can be loaded directly. Hashed files under
 * `/assets/` are cached for a year, `index.html` and `config.json` never. GET and HEAD only; dotfiles
 * (the build cache's own) are never served. Bound to loopback by default.
 *
 * @example
 * ```ts
 * const server = new WebClientServer({
 *   site: Promise.resolve({ dir: 'web/dist' }),
 *   config: { apiUrl: 'http://127.0.0.1:3000', webSocketUrl: 'ws://127.0.0.1:3001' },
 *   port: 0,
 * });
 * const { url } = await server.start(); // 'http://127.0.0.1:40123'
 * await server.stop();
 * ```
 */
export class WebClientServer extends GatewayServer {
  readonly #site: Promise<{ readonly dir: string }>;
  /** The security headers and the `config.json` body, once the configuration is known. */
  readonly #served: Promise<{ readonly headers: Readonly<Record<string, string>>; readonly config: Buffer }>;
  /** Set once {@link #served} resolves, so that error answers carry the headers too. */
  #headers: Readonly<Record<string, string>> = {};

  constructor(options: WebClientServerOptions) {
    super(
      { ...(options.port === undefined ? {} : { port: options.port }), host: options.host ?? '127.0.0.1' },
      {
        name: 'Web client server',
        defaultPort: 5173,
        configurationError: (message) => new WebClientServerError(message),
        alreadyStarted: (url) => new WebClientServerError(`Web client server already started at ${url}`),
        listenError: (message, cause) => new WebClientServerError(message, { cause }),
      },
    );
    this.#site = options.site;
    // A failed build is answered per request (503); never an unhandled rejection.
    this.#site.catch(() => undefined);
    this.#served = Promise.resolve(options.config).then((config) => {
      const headers = securityHeaders(config);
      this.#headers = headers;
      const body = {
        apiUrl: config.apiUrl,
        webSocketUrl: config.webSocketUrl,
        ...(config.consoleUrl === undefined ? {} : { consoleUrl: config.consoleUrl }),
      };
      return { headers, config: Buffer.from(JSON.stringify(body)) };
    });
    this.#served.catch(() => undefined);
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        this.#text(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
        return;
      }
      const pathname = decodedPath(req.url ?? '/');
      if (pathname === undefined) {
        this.#text(res, 400, 'Bad Request');
        return;
      }
      let config: Buffer;
      try {
        ({ config } = await this.#served);
      } catch (error) {
        this.#text(res, 503, `The web client has no configuration: ${(error as Error).message}\n`);
        return;
      }
      if (pathname === '/config.json') {
        this.#send(req, res, 200, 'application/json', 'no-store', config);
        return;
      }
      let dir: string;
      try {
        ({ dir } = await this.#site);
      } catch (error) {
        this.#text(res, 503, `The web client did not build: ${(error as Error).message}\n`);
        return;
      }
      const file = await fileOf(dir, pathname);
      if (file !== undefined) {
        const immutable = pathname.startsWith('/assets/');
        this.#stream(req, res, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        return;
      }
      if (pathname.startsWith('/assets/')) {
        this.#text(res, 404, 'Not Found');
        return;
      }
      const index = await fileOf(dir, '/index.html');
      if (index === undefined) {
        this.#text(res, 503, 'The web client build has no index.html\n');
        return;
      }
      this.#stream(req, res, index, 'no-cache');
    } catch (error) {
      if (!res.headersSent) this.#text(res, 500, 'Internal Server Error');
      else res.destroy(error as Error);
    }
  }

  #stream(
    req: IncomingMessage,
    res: ServerResponse,
    file: { path: string; size: number },
    cache: string,
  ): void {
    res.writeHead(200, {
      ...this.#headers,
      'content-type': CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': file.size,
      'cache-control': cache,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path)
      .on('error', (error) => res.destroy(error))
      .pipe(res);
  }

  #send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    contentType: string,
    cache: string,
    body: Buffer,
  ): void {
    res.writeHead(status, {
      ...this.#headers,
      'content-type': contentType,
      'content-length': body.length,
      'cache-control': cache,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  #text(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    const body = Buffer.from(text);
    res.writeHead(status, {
      ...this.#headers,
      ...headers,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    res.end(body);
  }
}

/** The request's path, percent-decoded and normalised; undefined when it cannot be decoded. */
function decodedPath(url: string): string | undefined {
  try {
    const { pathname } = new URL(url, 'http://web.local');
    return path.posix.normalize(decodeURIComponent(pathname));
  } catch {
    return undefined;
  }
}

/** The regular file `pathname` names under `dir`, never outside it nor a dotfile; undefined otherwise. */
async function fileOf(dir: string, pathname: string): Promise<{ path: string; size: number } | undefined> {
  if (pathname.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  const file = path.resolve(dir, `.${pathname}`);
  if (file !== dir && !file.startsWith(`${dir}${path.sep}`)) return undefined;
  const stats = await stat(file).catch(() => undefined);
  return stats?.isFile() ? { path: file, size: stats.size } : undefined;
}
