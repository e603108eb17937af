import { MessagePosted } from '@quanta/contracts/chat';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../domain/Connection';
import {
  InvalidCursorError,
  NotJoinedError,
  RoomContentionError,
  RoomNotFoundError,
  TooManyRoomsError,
} from '../errors';
import { alice, chatOnFakes } from './fakes/chatOnFakes';

const origin = { correlationId: 'corr-1' };

/** A room and a connection of Alice that joined it. */
async function joinedRoom(
  t: ReturnType<typeof chatOnFakes>,
): Promise<{ roomId: string; connection: Connection }> {
  const { roomId } = await t.chat.createRoom('General', alice.userId);
  await t.connect('c-alice', alice);
  const connection = await t.store.connectionRepository.get('c-alice');
  if (connection === undefined) throw new Error('not connected');
  await t.chat.join(connection, roomId);
  const joined = await t.store.connectionRepository.get('c-alice');
  if (joined === undefined) throw new Error('not joined');
  return { roomId, connection: joined };
}

describe('ChatService', () => {
  it('creates a room with its creator and lists rooms in creation order, a page at a time', async () => {
    // Arrange
    const t = chatOnFakes();

    // Act
    const general = await t.chat.createRoom('General', 'u-1');
    const random = await t.chat.createRoom('Random', 'u-2');
    const first = await t.chat.listRooms({ limit: 1 });
    const second = await t.chat.listRooms({ limit: 1, cursor: first.nextCursor });

    // Assert
    expect(general).toEqual({
      roomId: 'id-1',
      name: 'General',
      createdBy: 'u-1',
      createdAt: '2026-03-01T12:00:00.000Z',
    });
    expect(first).toEqual({ items: [general], nextCursor: expect.any(String) });
    expect(second).toEqual({ items: [random] });
  });

  it('answers a bad room cursor with INVALID_CURSOR', async () => {
    // Arrange
    const t = chatOnFakes();

    // Act
    const listing = t.chat.listRooms({ limit: 5, cursor: 'nope' });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('numbers a room’s messages 1, 2, 3 and keeps the sender’s display name on each', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId, connection } = await joinedRoom(t);

    // Act
    const outcomes = [];
    for (const n of [1, 2, 3]) {
      outcomes.push(
        await t.chat.send(connection, { roomId, text: `hi ${n}`, clientMessageId: `c-${n}` }, origin),
      );
    }

    // Assert
    expect(outcomes.map((o) => (o.kind === 'STORED' ? o.message.seq : o.seq))).toEqual([1, 2, 3]);
    expect(t.store.messages.get(roomId)?.map((m) => [m.seq, m.displayName, m.text])).toEqual([
      [1, 'Alice', 'hi 1'],
      [2, 'Alice', 'hi 2'],
      [3, 'Alice', 'hi 3'],
    ]);
  });

  it('stores a re-sent clientMessageId once and answers it with the original messageId and seq', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId, connection } = await joinedRoom(t);
    const request = { roomId, text: 'hello', clientMessageId: 'c-1' };

    // Act
    const first = await t.chat.send(connection, request, origin);
    const again = await t.chat.send(connection, request, origin);

    // Assert
    expect(first).toMatchObject({ kind: 'STORED', message: { seq: 1 } });
    const original = first.kind === 'STORED' ? first.message : undefined;
    expect(again).toEqual({ kind: 'DUPLICATE', messageId: original?.messageId, seq: 1 });
    expect(t.store.messages.get(roomId)).toHaveLength(1);
    expect(t.store.outbox).toHaveLength(1);
  });

  it('writes MessagePosted with the message in the same append, carrying the request’s correlation id', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId, connection } = await joinedRoom(t);

    // Act
    await t.chat.send(connection, { roomId, text: 'hello', clientMessageId: 'c-1' }, origin);

    // Assert
    const [event] = t.store.outbox;
    expect(MessagePosted.envelope.parse(event)).toMatchObject({
      correlationId: 'corr-1',
      data: { roomId, seq: 1, userId: alice.userId, text: 'hello', sentAt: '2026-03-01T12:00:00.000Z' },
    });
  });

  it('gives 20 concurrent sends the seqs 1 to 20, each once', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId, connection } = await joinedRoom(t);

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.chat.send(connection, { roomId, text: `m${i}`, clientMessageId: `c-${i}` }, origin),
      ),
    );

    // Assert
    const seqs = outcomes.map((o) => (o.kind === 'STORED' ? o.message.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(t.store.lastSeqs.get(roomId)).toBe(20);
  });

  it('refuses a send to a room the connection has not joined, storing nothing', async () => {
    // Arrange
    const t = chatOnFakes();
    const { connection } = await joinedRoom(t);
    const other = await t.chat.createRoom('Other', 'u-2');

    // Act
    const sending = t.chat.send(
      connection,
      { roomId: other.roomId, text: 'hi', clientMessageId: 'c-1' },
      origin,
    );

    // Assert
    await expect(sending).rejects.toBeInstanceOf(NotJoinedError);
    expect(t.store.appendCalls).toBe(0);
  });

  it('gives up with SERVICE_UNAVAILABLE after losing the race for the next seq every time', async () => {
    // Arrange
    const t = chatOnFakes({ maxAppendAttempts: 3 });
    const { roomId, connection } = await joinedRoom(t);
    const append = t.store.messageLog.append;
    t.store.messageLog.append = async (message, clientMessageId, event) => {
      // Someone else always takes the seq first.
      t.store.lastSeqs.set(roomId, (t.store.lastSeqs.get(roomId) ?? 0) + 1);
      return append(message, clientMessageId, event);
    };

    // Act
    const sending = t.chat.send(connection, { roomId, text: 'hi', clientMessageId: 'c-1' }, origin);

    // Assert
    await expect(sending).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    await expect(sending).rejects.toBeInstanceOf(RoomContentionError);
    expect(t.store.messages.get(roomId)).toEqual([]);
  });

  it('joins a room with its last seq, and refuses an unknown room or one room too many', async () => {
    // Arrange
    const t = chatOnFakes({ maxRoomsPerConnection: 1 });
    const { roomId, connection } = await joinedRoom(t);
    await t.chat.send(connection, { roomId, text: 'hi', clientMessageId: 'c-1' }, origin);
    const second = await t.chat.createRoom('Second', 'u-2');

    // Act
    const again = await t.chat.join(connection, roomId);
    const unknown = t.chat.join(connection, 'no-such-room');
    const tooMany = t.chat.join(connection, second.roomId);

    // Assert
    expect(again).toEqual({ lastSeq: 1 });
    await expect(unknown).rejects.toBeInstanceOf(RoomNotFoundError);
    await expect(tooMany).rejects.toBeInstanceOf(TooManyRoomsError);
  });

  it('serves the history after a seq, a page at a time, with the next page’s after as nextCursor', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId, connection } = await joinedRoom(t);
    for (let n = 1; n <= 5; n++) {
      await t.chat.send(connection, { roomId, text: `m${n}`, clientMessageId: `c-${n}` }, origin);
    }

    // Act
    const first = await t.chat.history(roomId, { after: 1, limit: 2 });
    const next = await t.chat.history(roomId, { after: Number(first.nextCursor), limit: 2 });
    const last = await t.chat.history(roomId, { after: Number(next.nextCursor), limit: 2 });

    // Assert
    expect(first.items.map((m) => m.seq)).toEqual([2, 3]);
    expect(first.nextCursor).toBe('3');
    expect(next.items.map((m) => m.seq)).toEqual([4, 5]);
    expect(next.nextCursor).toBeUndefined();
    expect(last).toEqual({ items: [] });
  });

  it('answers the history of an unknown room with ROOM_NOT_FOUND', async () => {
    // Arrange
    const t = chatOnFakes();

    // Act
    const history = t.chat.history('nope', { after: 0, limit: 10 });

    // Assert
    await expect(history).rejects.toMatchObject({ status: 404, code: 'ROOM_NOT_FOUND' });
  });
});
