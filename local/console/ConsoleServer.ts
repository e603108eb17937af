import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from '@quanta/contracts/zod';
import type { QuantaPlan } from '@quanta/runtime/manifest';
import { GatewayServer } from '../http/GatewayServer';
import type { ActivityStore } from './ActivityStore';
import type { ActivityView } from './ActivityView';
import type { ConsolePageAssets } from './consolePage';
import { buildConsolePage } from './consolePage';
import type { DeadLetters } from './DeadLetters';
import { ConsoleError, ConsoleRequestError } from './errors';
import { architectureOf, renderArchitecture } from './renderArchitecture';

/** Options of {@link ConsoleServer}. */
export interface ConsoleServerOptions {
  readonly plan: QuantaPlan;
  readonly store: ActivityStore;
  readonly view: ActivityView;
  readonly deadLetters: DeadLetters;
  /** False when function logs are dropped inside the workers (`--quiet`): the Logs tab says so. */
  readonly logsRecorded: boolean;
  /** @default 3004 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Longest pause between a record and its push to live clients. @default 200 */
  readonly flushIntervalMs?: number;
  /** The page's files. @default built from `page/` on first request ({@link buildConsolePage}) */
  readonly page?: () => Promise<ConsolePageAssets>;
  /** Where unexpected errors are reported. @default console.error */
  readonly log?: (message: string) => void;
}

const KINDS = ['invocation', 'event', 'message', 'push'] as const;
const id = z.string().check(z.minLength(1), z.maxLength(256));
const after = z.optional(z.coerce.number().check(z.int(), z.minimum(0)));
const limit = z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(5000)));
const activityQuery = z.object({
  kind: z.optional(z.enum(KINDS)),
  quantum: z.optional(id),
  function: z.optional(id),
  q: z.optional(z.string().check(z.maxLength(256))),
  after,
  limit,
});
const logsQuery = z.object({
  quantum: z.optional(id),
  function: z.optional(id),
  correlationId: z.optional(id),
  after,
  limit,
});
const streamQuery = z.object({ after });
const tracesQuery = z.object({ limit });
const seqParam = z.coerce.number().check(z.int(), z.minimum(1));

/** Live clients are sent at most this many rows per flush; they read the rest through the API. */
const MAX_ROWS_PER_FLUSH = 500;
const HEARTBEAT_MS = 15_000;

/**
 * The developer console's HTTP server, on its own origin (`http://127.0.0.1:3004`), bound to
 * loopback only: the page (`/`), its JSON API (`/api/…`, documented in `local/console/README.md`)
 * and a Server-Sent Events stream of new activity and log lines (`/api/stream`). Rows are made and
 * serialised only for a request or while a stream is open; with no client, recording stays a write
 * into a ring. Requests must name a loopback `Host` (a DNS-rebinding page cannot read it) and a
 * redrive must be a JSON `POST` from the console's own origin (a cross-site form cannot trigger it).
 *
 * @example
 * ```ts
 * const server = new ConsoleServer({ plan, store, view, deadLetters, logsRecorded: true, port: 0 });
 * const { url } = await server.start(); // 'http://127.0.0.1:40123'
 * ```
 */
export class ConsoleServer extends GatewayServer {
  readonly #options: ConsoleServerOptions;
  readonly #streams = new Set<() => void>();
  #page: Promise<ConsolePageAssets> | undefined;
  #svg: string | undefined;

  constructor(options: ConsoleServerOptions) {
    super(
      {
        ...(options.port === undefined ? {} : { port: options.port }),
        ...(options.host === undefined ? {} : { host: options.host }),
      },
      {
        name: 'Developer console',
        defaultPort: 3004,
        configurationError: (message) => new ConsoleError(message),
        alreadyStarted: (url) => new ConsoleError(`The developer console is already started at ${url}`),
        listenError: (message, cause) => new ConsoleError(message, { cause }),
      },
    );
    this.#options = options;
  }

  /** Ends the live streams, then stops listening. */
  override async stop(): Promise<void> {
    for (const end of this.#streams) end();
    await super.stop();
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.#checkHost(req);
      const url = new URL(req.url ?? '/', 'http://console.local');
      const segments = url.pathname
        .split('/')
        .filter((s) => s !== '')
        .map(decodeSegment);
      const query = Object.fromEntries(url.searchParams);
      const method = req.method ?? 'GET';
      if (method === 'POST') {
        await this.#post(req, res, segments);
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        throw new ConsoleRequestError(405, 'METHOD_NOT_ALLOWED', `${method} is not served here`);
      }
      req.resume();
      const reply = await this.#get(req, segments, query);
      if ('stream' in reply) this.#stream(res, reply.stream);
      else this.#send(res, 200, reply.type, reply.text);
    } catch (error) {
      req.resume();
      this.#fail(res, error);
    }
  }

  /** What a GET asks for: a document to send, or the live stream from a record number. */
  async #get(req: IncomingMessage, segments: string[], query: Record<string, string>): Promise<Reply> {
    const { view, store, deadLetters, plan } = this.#options;
    const [first, second, third] = segments;
    if (first === undefined || first === 'index.html')
      return text('text/html; charset=utf-8', (await this.#pageAssets()).html);
    if (first === 'console.js' && second === undefined)
      return text('text/javascript; charset=utf-8', (await this.#pageAssets()).js);
    if (first === 'console.css' && second === undefined)
      return text('text/css; charset=utf-8', (await this.#pageAssets()).css);
    if (first !== 'api')
      throw new ConsoleRequestError(404, 'NOT_FOUND', `Nothing is served at /${segments.join('/')}`);
    switch (second) {
      case 'status':
        return json({
          lastSeq: store.lastSeq,
          logsRecorded: this.#options.logsRecorded,
          quanta: plan.quanta.map((q) => ({ name: q.name, functions: q.functions.map((f) => f.id) })),
        });
      case 'architecture':
        if (third === undefined) return json(architectureOf(plan));
        break;
      case 'architecture.svg':
        this.#svg ??= renderArchitecture(plan);
        return text('image/svg+xml; charset=utf-8', this.#svg);
      case 'activity': {
        if (third !== undefined) {
          const detail = view.detail(parse(seqParam, third, 'activity number'));
          if (detail === undefined)
            throw new ConsoleRequestError(404, 'NOT_FOUND', `Activity ${third} is no longer kept`);
          return json(detail);
        }
        const q = parse(activityQuery, query, 'query');
        const lastSeq = store.lastSeq;
        const entries = view.activity({
          ...(q.kind === undefined ? {} : { kind: q.kind }),
          ...(q.quantum === undefined ? {} : { quantum: q.quantum }),
          ...(q.function === undefined ? {} : { functionId: q.function }),
          ...(q.q === undefined || q.q === '' ? {} : { text: q.q }),
          ...(q.after === undefined ? {} : { after: q.after }),
          ...(q.limit === undefined ? {} : { limit: q.limit }),
        });
        return json({ lastSeq, entries });
      }
      case 'traces': {
        if (third !== undefined) return json(view.trace(parse(id, third, 'trace id')));
        const q = parse(tracesQuery, query, 'query');
        return json(view.recentTraces(q.limit ?? 50));
      }
      case 'dead-letters':
        if (third === undefined) return json(deadLetters.list());
        if (segments.length === 3) return json(deadLetters.get(third));
        break;
      case 'logs': {
        const q = parse(logsQuery, query, 'query');
        const lastSeq = store.lastSeq;
        const lines = view.logs({
          ...(q.quantum === undefined ? {} : { quantum: q.quantum }),
          ...(q.function === undefined ? {} : { functionId: q.function }),
          ...(q.correlationId === undefined ? {} : { correlationId: q.correlationId }),
          ...(q.after === undefined ? {} : { after: q.after }),
          ...(q.limit === undefined ? {} : { limit: q.limit }),
        });
        return json({ lastSeq, logsRecorded: this.#options.logsRecorded, lines });
      }
      case 'stream': {
        const lastEventId = req.headers['last-event-id'];
        const q = parse(
          streamQuery,
          typeof lastEventId === 'string' ? { after: lastEventId } : query,
          'query',
        );
        return { stream: q.after ?? store.lastSeq };
      }
    }
    throw new ConsoleRequestError(404, 'NOT_FOUND', `Nothing is served at /${segments.join('/')}`);
  }

  async #post(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    const [first, second, name, action] = segments;
    if (
      first !== 'api' ||
      second !== 'dead-letters' ||
      name === undefined ||
      action !== 'redrive' ||
      segments.length !== 4
    ) {
      throw new ConsoleRequestError(404, 'NOT_FOUND', `Nothing accepts POST at /${segments.join('/')}`);
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json(\s*;|$)/i.test(type)) {
      throw new ConsoleRequestError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `A redrive is a POST with Content-Type application/json, got '${type}'`,
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) {
      throw new ConsoleRequestError(
        403,
        'FORBIDDEN',
        `A redrive must come from the console's own origin, not '${origin}'`,
      );
    }
    req.resume();
    const result = await this.#options.deadLetters.redrive(name);
    const reply = json(result);
    this.#send(res, 200, reply.type, reply.text);
  }

  /** Server-Sent Events: `activity` and `logs` events, each a JSON array, `id` = the last record number sent. */
  #stream(res: ServerResponse, from: number): void {
    const { store, view } = this.#options;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 1000\n\n`);
    let sent = from;
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      const { activity, logs } = store.since(sent);
      sent = store.lastSeq;
      const rows = activity.flatMap((record) => view.rowsOf(record)).slice(-MAX_ROWS_PER_FLUSH);
      const lines = logs.map((record) => view.lineOf(record)).slice(-MAX_ROWS_PER_FLUSH);
      let text = `id: ${sent}\n`;
      if (rows.length > 0) text += `event: activity\ndata: ${JSON.stringify(rows)}\n\n`;
      if (lines.length > 0)
        text += `${rows.length > 0 ? `id: ${sent}\n` : ''}event: logs\ndata: ${JSON.stringify(lines)}\n\n`;
      if (rows.length > 0 || lines.length > 0) res.write(text);
    };
    const unsubscribe = store.subscribe(() => {
      timer ??= setTimeout(flush, this.#options.flushIntervalMs ?? 200);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const end = (): void => {
      unsubscribe();
      clearInterval(heartbeat);
      if (timer !== undefined) clearTimeout(timer);
      this.#streams.delete(end);
      res.end();
    };
    this.#streams.add(end);
    res.once('close', end);
    if (store.lastSeq > sent) flush();
  }

  #checkHost(req: IncomingMessage): void {
    const host = req.headers.host ?? '';
    const name = host.replace(/:\d+$/, '');
    if (name !== '127.0.0.1' && name !== 'localhost' && name !== '[::1]') {
      throw new ConsoleRequestError(
        403,
        'FORBIDDEN',
        `The console answers only to a loopback Host, not '${host}'`,
      );
    }
  }

  /** The page, built once; a failed build is tried again on the next request. */
  #pageAssets(): Promise<ConsolePageAssets> {
    if (this.#page === undefined) {
      const page = (this.#options.page ?? (() => buildConsolePage()))();
      page.catch(() => {
        if (this.#page === page) this.#page = undefined;
      });
      this.#page = page;
    }
    return this.#page;
  }

  #send(res: ServerResponse, status: number, type: string, text: string): void {
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; img-src 'self' data:",
      'referrer-policy': 'no-referrer',
    });
    res.end(text);
  }

  /** The one place errors become responses: the console's own 4xx as they are, anything else a generic 500. */
  #fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ConsoleRequestError) {
      const reply = json({ error: { code: error.code, message: error.message } });
      this.#send(res, error.statusCode, reply.type, reply.text);
      return;
    }
    (this.#options.log ?? ((m: string) => console.error(m)))(
      `developer console: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    const reply = json({ error: { code: 'INTERNAL', message: 'Internal error' } });
    this.#send(res, 500, reply.type, reply.text);
  }
}

/** A document to send with 200, or the event stream starting after a record number. */
type Reply = { readonly type: string; readonly text: string } | { readonly stream: number };

function text(type: string, body: string): Reply {
  return { type, text: body };
}

function json(body: unknown): { readonly type: string; readonly text: string } {
  return { type: 'application/json; charset=utf-8', text: JSON.stringify(body) };
}

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new ConsoleRequestError(400, 'BAD_REQUEST', `Invalid ${what}: ${details}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ConsoleRequestError(
      400,
      'BAD_REQUEST',
      `Path segment '${segment}' is not valid percent-encoding`,
    );
  }
}
