import type { ServerFrame } from '@quanta/contracts/chat';
import type { Caller } from '../../domain/Connection';
import type { RateLimit } from '../../domain/RateLimiter';
import { Broadcaster, type ChatLog } from '../../service/Broadcaster';
import { ChatService } from '../../service/ChatService';
import { ChatSocket } from '../../service/ChatSocket';
import { FakeConnectionGateway } from './FakeConnectionGateway';
import { InMemoryRateLimiter, InMemoryUserDirectory, RecordingFanoutQueue } from './fakes';
import { InMemoryChat } from './InMemoryChat';

/** Settings of {@link chatOnFakes}. */
interface ChatOnFakesOptions {
  readonly limit?: RateLimit;
  readonly fanoutThreshold?: number;
  readonly maxRoomsPerConnection?: number;
  readonly maxAppendAttempts?: number;
  readonly log?: ChatLog;
}

/**
 * chat's services wired on in-memory fakes (no network): ids `id-1`, `id-2` …, a fixed clock, no
 * backoff between lost rounds. `connect` opens a connection on the fake `@connections` and records it;
 * `receive` sends a client frame (objects are JSON-encoded).
 *
 * @example
 * ```ts
 * const t = chatOnFakes();
 * await t.connect('c1', alice);
 * await t.receive('c1', { action: 'join', roomId });
 * t.gateway.framesOf('c1'); // [{ type: 'joined', roomId, lastSeq: 0 }]
 * ```
 */
export function chatOnFakes(options: ChatOnFakesOptions = {}) {
  const store = new InMemoryChat();
  const gateway = new FakeConnectionGateway();
  const fanout = new RecordingFanoutQueue();
  const rateLimiter = new InMemoryRateLimiter(options.limit);
  const users = new InMemoryUserDirectory();
  let ids = 0;
  const chat = new ChatService({
    rooms: store.roomRepository,
    messages: store.messageLog,
    connections: store.connectionRepository,
    newId: () => `id-${++ids}`,
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    backoff: async () => undefined,
    ...(options.maxRoomsPerConnection === undefined
      ? {}
      : { maxRoomsPerConnection: options.maxRoomsPerConnection }),
    ...(options.maxAppendAttempts === undefined ? {} : { maxAppendAttempts: options.maxAppendAttempts }),
  });
  const broadcaster = new Broadcaster({
    gateway,
    connections: store.connectionRepository,
    fanout,
    ...(options.fanoutThreshold === undefined ? {} : { fanoutThreshold: options.fanoutThreshold }),
  });
  const socket = new ChatSocket({
    chat,
    connections: store.connectionRepository,
    gateway,
    broadcaster,
    rateLimiter,
    users,
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const connect = async (connectionId: string, caller: Caller) => {
    gateway.open.add(connectionId);
    return socket.connect(connectionId, caller);
  };
  const receive = (connectionId: string, frame: unknown) =>
    socket.receive(connectionId, typeof frame === 'string' ? frame : JSON.stringify(frame), {
      correlationId: 'corr-1',
    });
  /** The frames `connectionId` received since the last call, and forgets them. */
  const take = (connectionId: string): ServerFrame[] => {
    const frames = [...gateway.framesOf(connectionId)];
    gateway.frames.delete(connectionId);
    return frames;
  };
  return { store, gateway, fanout, rateLimiter, users, chat, broadcaster, socket, connect, receive, take };
}

export const alice: Caller = {
  userId: 'u-alice',
  sessionId: 's-alice',
  roles: ['customer'],
  displayName: 'Alice',
};
export const bob: Caller = { userId: 'u-bob', sessionId: 's-bob', roles: ['customer'], displayName: 'Bob' };
