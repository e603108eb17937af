import { type ClientFrame, type ServerFrame, serverFrameSchema } from '@quanta/contracts/chat';
import type { RealtimeTicketResponse } from '@quanta/contracts/platform';
import { ApiError } from './errors';

/** Where the connection is. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The part of a WebSocket the connection uses (tests pass fakes). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Options of {@link RealtimeConnection}. */
export interface RealtimeConnectionOptions {
  /** A one-time ticket (`POST /realtime/tickets`); its `url` is connected to as is. */
  readonly ticket: () => Promise<RealtimeTicketResponse>;
  /** @default (url) => new WebSocket(url) */
  readonly createSocket?: (url: string) => SocketLike;
  /** Waits between attempts, the last repeated. @default [250, 500, 1000, 2000, 5000] */
  readonly retryDelaysMs?: readonly number[];
  /** @default globalThis.setTimeout */
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

const OPEN = 1;

/**
 * The platform's WebSocket API as the pages see it: one connection per signed-in tab, reconnected
 * with a fresh ticket whenever it drops, re-joining the rooms the pages joined. Server frames are
 * checked against the chat contract and handed to listeners by `type` (`order` frames drive the
 * orders page, the rest the chat). After every (re)connection the `open` state tells listeners to
 * resynchronise (the room's history `after` its last `seq`, pending orders), since frames pushed
 * while the socket was down are lost.
 *
 * @example
 * ```ts
 * const live = new RealtimeConnection({ ticket: () => api.ticket() });
 * live.onFrame((frame) => { if (frame.type === 'order') console.log(frame.orderId, frame.status); });
 * live.start();
 * live.join(roomId);
 * ```
 */
export class RealtimeConnection {
  readonly #ticket: () => Promise<RealtimeTicketResponse>;
  readonly #createSocket: (url: string) => SocketLike;
  readonly #retryDelaysMs: readonly number[];
  readonly #setTimer: (run: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  readonly #frameListeners = new Set<(frame: ServerFrame) => void>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  readonly #rooms = new Set<string>();
  #socket: SocketLike | undefined;
  #state: ConnectionState = 'closed';
  #running = false;
  #attempt = 0;
  #timer: unknown;

  constructor(options: RealtimeConnectionOptions) {
    this.#ticket = options.ticket;
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#retryDelaysMs = options.retryDelaysMs ?? [250, 500, 1000, 2000, 5000];
    this.#setTimer = options.setTimer ?? ((run, ms) => globalThis.setTimeout(run, ms));
    this.#clearTimer =
      options.clearTimer ?? ((timer) => globalThis.clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Calls `listener` with every valid server frame; returns the unsubscribe function. */
  onFrame(listener: (frame: ServerFrame) => void): () => void {
    this.#frameListeners.add(listener);
    return () => this.#frameListeners.delete(listener);
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Connects, and keeps reconnecting until {@link RealtimeConnection.stop}. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    void this.#connect();
  }

  /** Closes the connection for good and forgets the rooms (sign-out). */
  stop(): void {
    this.#running = false;
    this.#rooms.clear();
    this.#clearTimer(this.#timer);
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close(1000);
    this.#setState('closed');
  }

  /** Sends `frame` if the connection is open; false otherwise (the caller re-sends after `open`). */
  send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== OPEN || this.#state !== 'open') return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /** Joins `roomId` now if open, and again after every reconnection. */
  join(roomId: string): void {
    this.#rooms.add(roomId);
    this.send({ action: 'join', roomId });
  }

  /** Leaves `roomId` and stops re-joining it. */
  leave(roomId: string): void {
    if (this.#rooms.delete(roomId)) this.send({ action: 'leave', roomId });
  }

  /** Drops the current socket as a network failure would (it reconnects); for diagnostics and tests. */
  drop(): void {
    this.#socket?.close(4000);
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    this.#setState('connecting');
    let url: string;
    try {
      url = (await this.#ticket()).url;
    } catch (error) {
      // No session any more: nothing to reconnect for.
      if (error instanceof ApiError && error.status === 401) return this.stop();
      return this.#retry();
    }
    if (!this.#running) return;
    const socket = this.#createSocket(url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.#setState('open');
      for (const roomId of this.#rooms) socket.send(JSON.stringify({ action: 'join', roomId }));
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket || typeof event.data !== 'string') return;
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = serverFrameSchema.safeParse(data);
      if (!parsed.success) return;
      for (const listener of this.#frameListeners) listener(parsed.data);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#retry();
    });
  }

  #retry(): void {
    if (!this.#running) return;
    this.#setState('closed');
    const delays = this.#retryDelaysMs;
    const delay = delays[Math.min(this.#attempt, delays.length - 1)] ?? 1000;
    this.#attempt++;
    this.#clearTimer(this.#timer);
    this.#timer = this.#setTimer(() => void this.#connect(), delay);
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}
