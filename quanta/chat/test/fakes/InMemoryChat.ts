import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { Connection } from '../../domain/Connection';
import type { ConnectionRepository, JoinResult } from '../../domain/ConnectionRepository';
import type { AppendResult, Message, MessageLog, MessageSlice } from '../../domain/MessageLog';
import type { Room, RoomListPage, RoomRepository } from '../../domain/RoomRepository';
import { InvalidCursorError } from '../../errors';

/**
 * chat's three repositories in memory, over one shared state, with the DynamoDB ones' conditions
 * (checked and applied with no await in between, so atomic like a transaction). `outbox` collects
 * the events appended.
 */
export class InMemoryChat {
  readonly rooms = new Map<string, Room>();
  readonly lastSeqs = new Map<string, number>();
  readonly messages = new Map<string, Message[]>();
  readonly clientMessageIds = new Map<string, { messageId: string; seq: number }>();
  readonly connections = new Map<string, Connection>();
  readonly outbox: AnyEventEnvelope[] = [];
  /** Appends attempted (including lost races). */
  appendCalls = 0;

  readonly roomRepository: RoomRepository = {
    create: async (room) => {
      if (this.rooms.has(room.roomId)) throw new Error(`duplicate room ${room.roomId}`);
      this.rooms.set(room.roomId, room);
      this.lastSeqs.set(room.roomId, 0);
      this.messages.set(room.roomId, []);
    },
    get: async (roomId) => this.rooms.get(roomId),
    list: async (page): Promise<RoomListPage> => {
      const sorted = [...this.rooms.values()].sort((a, b) =>
        `${a.createdAt}#${a.roomId}`.localeCompare(`${b.createdAt}#${b.roomId}`),
      );
      let start = 0;
      if (page.cursor !== undefined) {
        start = sorted.findIndex((r) => r.roomId === page.cursor) + 1;
        if (start === 0) throw new InvalidCursorError(page.cursor);
      }
      const items = sorted.slice(start, start + page.limit);
      const last = items.at(-1);
      return start + page.limit < sorted.length && last !== undefined
        ? { items, nextCursor: last.roomId }
        : { items };
    },
  };

  readonly messageLog: MessageLog = {
    lastSeq: async (roomId) => this.lastSeqs.get(roomId),
    append: async (message, clientMessageId, event): Promise<AppendResult> => {
      this.appendCalls++;
      const lastSeq = this.lastSeqs.get(message.roomId);
      if (lastSeq === undefined) return { kind: 'ROOM_NOT_FOUND' };
      const key = `${message.roomId}#${message.userId}#${clientMessageId}`;
      const original = this.clientMessageIds.get(key);
      if (original !== undefined) return { kind: 'DUPLICATE', original };
      if (lastSeq !== message.seq - 1) return { kind: 'SEQ_TAKEN', lastSeq };
      this.lastSeqs.set(message.roomId, message.seq);
      this.messages.get(message.roomId)?.push(message);
      this.clientMessageIds.set(key, { messageId: message.messageId, seq: message.seq });
      this.outbox.push(event);
      return { kind: 'APPENDED' };
    },
    history: async (roomId, after, limit): Promise<MessageSlice> => {
      const later = (this.messages.get(roomId) ?? []).filter((m) => m.seq > after);
      return { items: later.slice(0, limit), hasMore: later.length > limit };
    },
  };

  readonly connectionRepository: ConnectionRepository = {
    save: async (connection) => {
      this.connections.set(connection.connectionId, connection);
    },
    get: async (connectionId) => this.connections.get(connectionId),
    remove: async (connectionId) => {
      const connection = this.connections.get(connectionId);
      this.connections.delete(connectionId);
      return connection;
    },
    join: async (connectionId, roomId, maxRooms): Promise<JoinResult> => {
      if (!this.rooms.has(roomId)) return 'ROOM_NOT_FOUND';
      const connection = this.connections.get(connectionId);
      if (connection === undefined) return 'UNKNOWN_CONNECTION';
      if (connection.rooms.includes(roomId)) return 'JOINED';
      if (connection.rooms.length >= maxRooms) return 'TOO_MANY_ROOMS';
      this.connections.set(connectionId, { ...connection, rooms: [...connection.rooms, roomId].sort() });
      return 'JOINED';
    },
    leave: async (connectionId, roomId) => {
      const connection = this.connections.get(connectionId);
      if (connection === undefined) return;
      this.connections.set(connectionId, {
        ...connection,
        rooms: connection.rooms.filter((r) => r !== roomId),
      });
    },
    members: async (roomId) =>
      [...this.connections.values()].filter((c) => c.rooms.includes(roomId)).map((c) => c.connectionId),
    byUser: async (userId) =>
      [...this.connections.values()].filter((c) => c.userId === userId).map((c) => c.connectionId),
    bySession: async (sessionId) =>
      [...this.connections.values()].filter((c) => c.sessionId === sessionId).map((c) => c.connectionId),
  };
}
