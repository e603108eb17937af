import { APIGatewayProxyWebsocketEventSchema } from '@aws-lambda-powertools/parser/schemas';
import WebSocket from 'ws';
import { z } from 'zod';
import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../../lambda/FunctionInvoker';
import { WebSocketGateway, type WebSocketGatewayOptions } from '../WebSocketGateway';

/** A handler of the fake: returns the function's payload, or throws for a function error. */
export type FakeHandler = (event: unknown) => unknown;

/**
 * In-process test double of the worker-thread invoker, recording every event. Events and payloads
 * cross a JSON round trip, as they cross Lambda's Invoke API.
 */
export class RecordingInvoker implements FunctionInvoker {
  readonly #handlers = new Map<string, FakeHandler>();
  readonly #events = new Map<string, unknown[]>();

  constructor(handlers: Readonly<Record<string, FakeHandler>> = {}) {
    for (const [id, handler] of Object.entries(handlers)) this.#handlers.set(id, handler);
  }

  /** Replaces the handler of `functionId`. */
  on(functionId: string, handler: FakeHandler): this {
    this.#handlers.set(functionId, handler);
    return this;
  }

  /** Events `functionId` received, oldest first. */
  eventsOf(functionId: string): Record<string, unknown>[] {
    return (this.#events.get(functionId) ?? []) as Record<string, unknown>[];
  }

  /** Events of `functionId` for one route key. */
  eventsOfRoute(functionId: string, routeKey: string): WsEvent[] {
    return (this.eventsOf(functionId) as unknown as WsEvent[]).filter(
      (event) => event.requestContext.routeKey === routeKey,
    );
  }

  async invoke(functionId: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const handler = this.#handlers.get(functionId);
    if (handler === undefined) throw new Error(`Unknown function '${functionId}'`);
    options.onStart?.();
    const received: unknown = JSON.parse(JSON.stringify(event));
    this.#events.set(functionId, [...(this.#events.get(functionId) ?? []), received]);
    try {
      const returned = await handler(received);
      const payload: unknown = returned === undefined ? null : JSON.parse(JSON.stringify(returned));
      return { ok: true, payload, durationMs: 1, coldStart: false };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        ok: false,
        error: { errorType: e.name, errorMessage: e.message },
        durationMs: 1,
        coldStart: false,
      };
    }
  }
}

/** The shape tests read from a recorded integration event. */
export interface WsEvent {
  readonly requestContext: Record<string, unknown> & {
    readonly routeKey: string;
    readonly connectionId: string;
  };
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
}

export const WS = 'chat.ws';
export const AUTHORIZER = 'platform.wsAuthorizer';
export const VALID_TICKET = 'tk-valid';
export const USER_CONTEXT = { userId: 'u-1', roles: 'customer', sessionId: 's-1', admin: false, level: 3 };

/** An IAM policy answer of the WebSocket authorizer. */
export function policy(
  effect: 'Allow' | 'Deny',
  resource: string,
  context?: Record<string, unknown>,
): unknown {
  return {
    principalId: 'u-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    ...(context === undefined ? {} : { context }),
  };
}

/** The platform's ticket authorizer: allows `VALID_TICKET` on the method ARN it was asked about. */
export function ticketAuthorizer(event: unknown): unknown {
  const e = event as { methodArn: string; queryStringParameters: Record<string, string> | null };
  const ticket = e.queryStringParameters?.ticket;
  return policy(ticket === VALID_TICKET ? 'Allow' : 'Deny', e.methodArn, USER_CONTEXT);
}

/** A `ws` function that echoes `{ action: 'echo' }` messages and answers nothing else. */
export function chatFunction(event: unknown): unknown {
  const e = event as WsEvent;
  if (e.requestContext.routeKey === 'echo') return { statusCode: 200, body: e.body };
  return { statusCode: 200 };
}

export const ALL_ROUTES = ['$connect', '$disconnect', '$default', 'echo', 'send'] as const;

/** Starts a gateway on a free port with the chat routes, the ticket authorizer and a recording invoker. */
export async function startGateway(
  options: Partial<WebSocketGatewayOptions> = {},
  routeKeys: readonly string[] = ALL_ROUTES,
): Promise<{ gateway: WebSocketGateway; url: string; managementUrl: string; invoker: RecordingInvoker }> {
  const invoker = new RecordingInvoker({ [AUTHORIZER]: ticketAuthorizer, [WS]: chatFunction });
  const gateway = new WebSocketGateway({
    routes: routeKeys.map((routeKey) => ({ routeKey, functionId: WS })),
    authorizerFunctionId: AUTHORIZER,
    invoker,
    port: 0,
    ...options,
  });
  const { url, managementUrl } = await gateway.start();
  return { gateway, url, managementUrl, invoker };
}

/** What a closed connection reported to the client. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** A real `ws` client that queues what it receives. */
export class TestClient {
  readonly socket: WebSocket;
  readonly closed: Promise<CloseInfo>;
  readonly #messages: { data: string; isBinary: boolean }[] = [];
  readonly #waiters: (() => void)[] = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      this.#messages.push({ data: Buffer.from(data as Buffer).toString('utf8'), isBinary });
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
    });
  }

  /** Connects, resolving once open; rejects with the handshake's status when it is refused. */
  static connect(url: string, protocols?: string | string[]): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols);
      const client = new TestClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          reject(new HandshakeRefused(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          socket.terminate();
        });
      });
      socket.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** The next message received (waits up to `timeoutMs`). */
  async next(timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#messages.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no message received');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return (this.#messages.shift() as { data: string }).data;
  }

  /** Messages received and not yet taken. */
  get pending(): number {
    return this.#messages.length;
  }

  async close(code?: number, reason?: string): Promise<CloseInfo> {
    this.socket.close(code, reason);
    return this.closed;
  }
}

/** A refused handshake, with the HTTP status and body the gateway answered. */
export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`handshake refused with ${status}: ${body}`);
    this.name = 'HandshakeRefused';
  }
}

/** Connects and returns the refusal; fails the test when the handshake succeeds. */
export async function refusal(url: string): Promise<HandshakeRefused> {
  try {
    const client = await TestClient.connect(url);
    await client.close();
  } catch (error) {
    if (error instanceof HandshakeRefused) return error;
    throw error;
  }
  throw new Error(`handshake to ${url} was accepted`);
}

/** Powertools' schema of the `$connect` authorizer event. */
export const AuthorizerEventSchema = APIGatewayProxyWebsocketEventSchema;

/**
 * Integration events (CONNECT, MESSAGE, DISCONNECT) have no Powertools schema of their own; their
 * `requestContext` is the one Powertools' WebSocket schema defines.
 */
export const IntegrationEventSchema = z.object({
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  multiValueQueryStringParameters: z.record(z.string(), z.array(z.string())).optional(),
  requestContext: APIGatewayProxyWebsocketEventSchema.shape.requestContext,
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});
