import type { RealtimeTicketResponse } from '@quanta/contracts/platform';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors';
import { RealtimeConnection, type SocketLike } from '../src/RealtimeConnection';

/** A socket the test opens, feeds and closes by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  readonly #listeners = new Map<string, Array<(event: { data: unknown }) => void>>();
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.emit('close');
  }
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  emit(type: string, data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const listener of this.#listeners.get(type) ?? []) listener({ data });
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function connection(tickets: Array<() => Promise<RealtimeTicketResponse>>) {
  const sockets: FakeSocket[] = [];
  const timers: Array<() => void> = [];
  const live = new RealtimeConnection({
    ticket: () => (tickets.shift() ?? (() => Promise.reject(new Error('no ticket left'))))(),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (run) => {
      timers.push(run);
      return run;
    },
    clearTimer: () => undefined,
  });
  return { live, sockets, timers };
}
const ticket = (n: number) => () =>
  Promise.resolve({ ticket: `t${n}`, expiresIn: 60, url: `ws://ws.test/?ticket=t${n}` });

describe('RealtimeConnection', () => {
  it('reconnects with a new ticket after a drop and joins its rooms again', async () => {
    const { live, sockets, timers } = connection([ticket(1), ticket(2)]);
    const states: string[] = [];
    live.onState((state) => states.push(state));
    live.start();
    await flush();
    sockets[0]?.emit('open');
    live.join('room-1');

    sockets[0]?.emit('close');
    timers.shift()?.();
    await flush();
    sockets[1]?.emit('open');

    expect(sockets.map((s) => s.url)).toEqual(['ws://ws.test/?ticket=t1', 'ws://ws.test/?ticket=t2']);
    expect(sockets[0]?.sent).toEqual([{ action: 'join', roomId: 'room-1' }]);
    expect(sockets[1]?.sent).toEqual([{ action: 'join', roomId: 'room-1' }]);
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  it('hands valid frames to listeners and drops what the contract refuses', async () => {
    const { live, sockets } = connection([ticket(1)]);
    const frames: unknown[] = [];
    live.onFrame((frame) => frames.push(frame));
    live.start();
    await flush();
    sockets[0]?.emit('open');

    sockets[0]?.emit('message', JSON.stringify({ type: 'order', orderId: 'o-1', status: 'CONFIRMED' }));
    sockets[0]?.emit('message', JSON.stringify({ type: 'order', orderId: 'o-2', status: 'SHIPPED' }));
    sockets[0]?.emit('message', 'not json');

    expect(frames).toEqual([{ type: 'order', orderId: 'o-1', status: 'CONFIRMED' }]);
  });

  it('stops for good when the session has ended, and refuses to send while closed', async () => {
    const { live, sockets, timers } = connection([
      () => Promise.reject(new ApiError(401, 'UNAUTHORIZED', 'x')),
    ]);
    live.start();
    await flush();

    expect(sockets).toEqual([]);
    expect(timers).toEqual([]);
    expect(live.state).toBe('closed');
    expect(live.send({ action: 'join', roomId: 'room-1' })).toBe(false);
  });
});
