import { type RealtimeTicketResponse, realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { HttpClient } from './HttpClient';
import type { TestUser } from './users';
import { waitFor } from './waitFor';

/** A frame the server sent, parsed. */
export type Frame = Record<string, unknown>;

/**
 * A connected chat client that keeps every frame it receives, in order.
 *
 * @example
 * ```ts
 * const client = await ChatClient.connect((await ticketFor(api, user)).url);
 * client.send({ action: 'join', roomId });
 * await client.next('joined');
 * ```
 */
export class ChatClient {
  readonly frames: Frame[] = [];
  closedWith: number | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
    socket.on('close', (code) => {
      this.closedWith = code;
    });
  }

  static async connect(url: string): Promise<ChatClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
    });
    return new ChatClient(socket);
  }

  /** Sends a frame: an object as JSON, a string as it is. */
  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame of `type` matching `where`, waiting up to 10 s for it. */
  next(type: string, where: (f: Frame) => boolean = () => true): Promise<Frame> {
    return waitFor(`a '${type}' frame`, async () => this.frames.find((f) => f.type === type && where(f)), {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
  }

  /** Every frame of `type` received so far. */
  all(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** Joins `roomId`, resolving with the `joined` frame. */
  async join(roomId: string): Promise<Frame> {
    this.send({ action: 'join', roomId });
    return this.next('joined', (f) => f.roomId === roomId);
  }

  /** Closes the socket and resolves once it is closed. */
  async close(): Promise<void> {
    if (this.closedWith !== undefined) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close();
    await closed;
  }
}

/** A WebSocket ticket for `user` from `POST /realtime/tickets`, asserting 201. */
export async function ticketFor(api: HttpClient, user: TestUser): Promise<RealtimeTicketResponse> {
  const response = await api.call('POST', '/realtime/tickets', { token: user.tokens.accessToken });
  expect(response.status).toBe(201);
  return realtimeTicketResponseSchema.parse(response.body);
}

/** A connected client of `user` (a fresh ticket each time). */
export async function connectAs(api: HttpClient, user: TestUser): Promise<ChatClient> {
  return ChatClient.connect((await ticketFor(api, user)).url);
}

/** The handshake's HTTP status: 101 when the socket opened (it is closed again), else the refusal. */
export async function handshakeStatus(url: string): Promise<number> {
  const socket = new WebSocket(url);
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => resolve(0));
  });
}
