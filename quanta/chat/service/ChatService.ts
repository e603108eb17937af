import { randomUUID } from 'node:crypto';
import {
  type MessagePage,
  MessagePosted,
  type Message as MessageView,
  type RoomPage,
  type Room as RoomView,
} from '@quanta/contracts/chat';
import type { PageQuery } from '@quanta/contracts/common';
import { createEnvelope, type EnvelopeOrigin } from '@quanta/runtime/events';
import type { Connection } from '../domain/Connection';
import type { ConnectionRepository } from '../domain/ConnectionRepository';
import type { Message, MessageLog } from '../domain/MessageLog';
import type { Room, RoomRepository } from '../domain/RoomRepository';
import {
  NotJoinedError,
  RoomContentionError,
  RoomNotFoundError,
  TooManyRoomsError,
  UnknownConnectionError,
} from '../errors';

/**
 * Where a change comes from (the HTTP request or WebSocket frame), propagated into the events it
 * causes. `causationId` defaults to the correlation id: a client request is its own cause.
 */
export type RequestOrigin = Pick<EnvelopeOrigin, 'correlationId' | 'causationId'>;

/** What a client sends in a `send` frame. */
export interface SendRequest {
  readonly roomId: string;
  readonly text: string;
  readonly clientMessageId: string;
}

/**
 * Outcome of {@link ChatService.send}: `STORED` (a new message, to broadcast), or `DUPLICATE` (the
 * sender had already sent this `clientMessageId` to the room: the original's id and `seq`, nothing
 * new stored or to broadcast).
 */
export type SendOutcome =
  | { readonly kind: 'STORED'; readonly message: Message }
  | { readonly kind: 'DUPLICATE'; readonly messageId: string; readonly seq: number };

/** Dependencies and settings of {@link ChatService}. */
export interface ChatServiceOptions {
  readonly rooms: RoomRepository;
  readonly messages: MessageLog;
  readonly connections: ConnectionRepository;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Room and message id generator. @default crypto.randomUUID */
  readonly newId?: () => string;
  /** Rooms one connection may join. @default 50 */
  readonly maxRoomsPerConnection?: number;
  /** Rounds a message may lose the race for the room's next `seq` before it is refused. @default 50 */
  readonly maxAppendAttempts?: number;
  /** Pause after the `attempt`-th lost round. @default a random 0–2·attempt ms, at most 25 ms */
  readonly backoff?: (attempt: number) => Promise<void>;
}

/**
 * chat's use cases: rooms (create, list), history, and the WebSocket actions join, leave and send.
 * Depends only on the domain ports.
 *
 * `send` gives each room a gapless sequence: the message is stored as `lastSeq + 1` only if the
 * room's last `seq` is still `lastSeq` (one atomic write with the `clientMessageId` record and the
 * `MessagePosted` outbox event); a lost race tells the new `lastSeq` and the message tries again.
 * So `seq` starts at 1 and grows by exactly 1 per stored message, whatever runs concurrently, and a
 * re-sent `clientMessageId` is answered with the original.
 *
 * @example
 * ```ts
 * const chat = new ChatService({ rooms, messages, connections });
 * const room = await chat.createRoom('General', 'u-1');
 * const { lastSeq } = await chat.join(connection, room.roomId);
 * const outcome = await chat.send(connection, { roomId: room.roomId, text: 'Hi', clientMessageId: 'c-1' }, { correlationId });
 * ```
 */
export class ChatService {
  readonly #o: Required<ChatServiceOptions>;

  constructor(options: ChatServiceOptions) {
    this.#o = {
      now: () => new Date(),
      newId: randomUUID,
      maxRoomsPerConnection: 50,
      maxAppendAttempts: 50,
      backoff: (attempt) => new Promise((r) => setTimeout(r, Math.random() * Math.min(25, 2 * attempt))),
      ...options,
    };
  }

  /** Creates a room (`name` already validated: trimmed, 1–80 characters). */
  async createRoom(name: string, createdBy: string): Promise<RoomView> {
    const room: Room = { roomId: this.#o.newId(), name, createdBy, createdAt: this.#o.now().toISOString() };
    await this.#o.rooms.create(room);
    return roomViewOf(room);
  }

  /** A page of rooms in creation order; a bad cursor is a 400 `INVALID_CURSOR`. */
  async listRooms(query: PageQuery): Promise<RoomPage> {
    const page = await this.#o.rooms.list({ limit: query.limit, cursor: query.cursor });
    return {
      items: page.items.map(roomViewOf),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  }

  /**
   * The room's messages with `seq > after`, at most `limit`, ascending; `nextCursor` (the last
   * `seq`, to pass as the next `after`) while more follow. A 404 {@link RoomNotFoundError} for an
   * unknown room.
   */
  async history(
    roomId: string,
    query: { readonly after: number; readonly limit: number },
  ): Promise<MessagePage> {
    const [lastSeq, slice] = await Promise.all([
      this.#o.messages.lastSeq(roomId),
      this.#o.messages.history(roomId, query.after, query.limit),
    ]);
    if (lastSeq === undefined) throw new RoomNotFoundError(roomId);
    const last = slice.items.at(-1);
    return {
      items: slice.items.map(messageViewOf),
      ...(slice.hasMore && last !== undefined ? { nextCursor: String(last.seq) } : {}),
    };
  }

  /**
   * Joins `roomId` on the connection and returns the room's last `seq`. It is read after the
   * membership is stored, so every message after it is pushed to the connection, and everything up
   * to it is in the history: the client misses nothing.
   */
  async join(connection: Connection, roomId: string): Promise<{ readonly lastSeq: number }> {
    const { maxRoomsPerConnection } = this.#o;
    const joined = await this.#o.connections.join(connection.connectionId, roomId, maxRoomsPerConnection);
    switch (joined) {
      case 'ROOM_NOT_FOUND':
        throw new RoomNotFoundError(roomId);
      case 'TOO_MANY_ROOMS':
        throw new TooManyRoomsError(maxRoomsPerConnection);
      case 'UNKNOWN_CONNECTION':
        throw new UnknownConnectionError(connection.connectionId);
      case 'JOINED':
        break;
    }
    const lastSeq = await this.#o.messages.lastSeq(roomId);
    if (lastSeq === undefined) throw new RoomNotFoundError(roomId);
    return { lastSeq };
  }

  /** Leaves `roomId` on the connection (leaving a room not joined is not an error). */
  async leave(connection: Connection, roomId: string): Promise<void> {
    await this.#o.connections.leave(connection.connectionId, roomId);
  }

  /**
   * Stores a message from the connection's user in a room the connection joined, as the room's next
   * `seq`, with its `MessagePosted` event; or finds the one already stored for this
   * `clientMessageId`. A 403 {@link NotJoinedError} when the connection has not joined the room; a
   * 503 {@link RoomContentionError} (nothing stored) when the room stays too contended.
   */
  async send(connection: Connection, request: SendRequest, origin: RequestOrigin): Promise<SendOutcome> {
    const { roomId, text, clientMessageId } = request;
    if (!connection.rooms.includes(roomId)) throw new NotJoinedError(roomId);
    const messageId = this.#o.newId();
    const sentAt = this.#o.now().toISOString();
    let lastSeq = await this.#o.messages.lastSeq(roomId);
    for (let attempt = 1; attempt <= this.#o.maxAppendAttempts; attempt++) {
      if (lastSeq === undefined) throw new RoomNotFoundError(roomId);
      const message: Message = {
        roomId,
        seq: lastSeq + 1,
        messageId,
        userId: connection.userId,
        displayName: connection.displayName,
        text,
        sentAt,
      };
      const event = createEnvelope(
        MessagePosted,
        { roomId, messageId, seq: message.seq, userId: message.userId, text, sentAt },
        { correlationId: origin.correlationId, causationId: origin.causationId },
      );
      const result = await this.#o.messages.append(message, clientMessageId, event);
      switch (result.kind) {
        case 'APPENDED':
          return { kind: 'STORED', message };
        case 'DUPLICATE':
          return { kind: 'DUPLICATE', messageId: result.original.messageId, seq: result.original.seq };
        case 'ROOM_NOT_FOUND':
          throw new RoomNotFoundError(roomId);
        case 'SEQ_TAKEN':
          lastSeq = result.lastSeq;
          await this.#o.backoff(attempt);
      }
    }
    throw new RoomContentionError(roomId, this.#o.maxAppendAttempts);
  }
}

/** The public API's view of a room. */
function roomViewOf(room: Room): RoomView {
  return { roomId: room.roomId, name: room.name, createdBy: room.createdBy, createdAt: room.createdAt };
}

/** The public shape of a message (HTTP history and `message` frames alike). */
export function messageViewOf(message: Message): MessageView {
  return {
    roomId: message.roomId,
    seq: message.seq,
    messageId: message.messageId,
    userId: message.userId,
    displayName: message.displayName,
    text: message.text,
    sentAt: message.sentAt,
  };
}
