import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { MessagePosted } from '@quanta/contracts/chat';
import { type DynamoDbLocal, dynamoDbClientFor, useDynamoDbLocal } from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../domain/Connection';
import { RoomNotFoundError } from '../errors';
import { chatOnTable } from './fakes/chatOnTable';

let db: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

const origin = { correlationId: 'corr-1' };

/** A room and `count` connections (one user each) that joined it. */
async function roomWithMembers(t: Awaited<ReturnType<typeof chatOnTable>>, count: number) {
  const { roomId } = await t.chat.createRoom('General', 'u-0');
  const members: Connection[] = [];
  for (let i = 0; i < count; i++) {
    const connection: Connection = {
      connectionId: `c-${i}`,
      userId: `u-${i}`,
      sessionId: `s-${i}`,
      displayName: `User ${i}`,
      connectedAt: new Date().toISOString(),
      rooms: [],
    };
    await t.connections.save(connection);
    await t.chat.join(connection, roomId);
    members.push({ ...connection, rooms: [roomId] });
  }
  return { roomId, members };
}

/** Every MessagePosted in the table's outbox. */
async function outboxOf(tableName: string) {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(pk, :outbox)',
      ExpressionAttributeValues: marshall({ ':outbox': 'OUTBOX#' }),
      ConsistentRead: true,
    }),
  );
  return Items.map((i) => MessagePosted.envelope.parse(JSON.parse(String(unmarshall(i).envelope))));
}

describe('chat messages on DynamoDB Local', () => {
  it('gives 20 concurrent senders in one room the seqs 1 to 20, no gap, no duplicate, one event each', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const { roomId, members } = await roomWithMembers(t, 20);

    // Act
    const outcomes = await Promise.all(
      members.map((m, i) =>
        t.chat.send(m, { roomId, text: `hello ${i}`, clientMessageId: `m-${i}` }, origin),
      ),
    );

    // Assert
    const stored = outcomes.map((o) => (o.kind === 'STORED' ? o.message : undefined));
    expect(stored.every((m) => m !== undefined)).toBe(true);
    const history = await t.chat.history(roomId, { after: 0, limit: 100 });
    expect(history.items.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(history.items.map((m) => m.messageId)).size).toBe(20);
    expect(history.items.map((m) => m.text).sort()).toEqual(members.map((_, i) => `hello ${i}`).sort());
    expect(await t.messages.lastSeq(roomId)).toBe(20);
    const events = await outboxOf(t.tableName);
    expect(events.map((e) => e.data.seq).sort((a, b) => a - b)).toEqual(history.items.map((m) => m.seq));
    for (const message of history.items) {
      expect(events.find((e) => e.data.seq === message.seq)?.data).toMatchObject({
        messageId: message.messageId,
        userId: message.userId,
      });
    }
    // 20 racing for one counter: up to 20 + 19 + … + 1 transactions, slow on a loaded DynamoDB Local.
  }, 120_000);

  it('stores a clientMessageId re-sent concurrently once, and acks every copy with the original', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const { roomId, members } = await roomWithMembers(t, 1);
    const [alice] = members as [Connection];

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.chat.send(alice, { roomId, text: 'once', clientMessageId: 'm-1' }, origin),
      ),
    );

    // Assert
    expect(outcomes.filter((o) => o.kind === 'STORED')).toHaveLength(1);
    const ids = outcomes.map((o) =>
      o.kind === 'STORED' ? [o.message.messageId, o.message.seq] : [o.messageId, o.seq],
    );
    expect(new Set(ids.map((i) => i.join('@'))).size).toBe(1);
    expect((await t.chat.history(roomId, { after: 0, limit: 10 })).items).toHaveLength(1);
    expect(await outboxOf(t.tableName)).toHaveLength(1);
  });

  it('keeps clientMessageIds per sender: two users may use the same one', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const { roomId, members } = await roomWithMembers(t, 2);

    // Act
    const outcomes = await Promise.all(
      members.map((m) => t.chat.send(m, { roomId, text: 'hi', clientMessageId: 'same' }, origin)),
    );

    // Assert
    expect(outcomes.map((o) => o.kind)).toEqual(['STORED', 'STORED']);
    expect(await t.messages.lastSeq(roomId)).toBe(2);
  });

  it('answers an empty page, not an error, for the history after the largest seq a client may name', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const { roomId, members } = await roomWithMembers(t, 1);
    await t.chat.send(members[0] as Connection, { roomId, text: 'hi', clientMessageId: 'm-1' }, origin);

    // Act
    const atTheEnd = await t.chat.history(roomId, { after: Number.MAX_SAFE_INTEGER, limit: 100 });
    const justBefore = await t.chat.history(roomId, { after: Number.MAX_SAFE_INTEGER - 1, limit: 100 });

    // Assert
    expect(atTheEnd).toEqual({ items: [] });
    expect(justBefore).toEqual({ items: [] });
  });

  it('pages the history with after, limit and nextCursor, ascending by seq', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const { roomId, members } = await roomWithMembers(t, 1);
    const [alice] = members as [Connection];
    for (let n = 1; n <= 7; n++) {
      await t.chat.send(alice, { roomId, text: `m${n}`, clientMessageId: `m-${n}` }, origin);
    }

    // Act
    const pages = [];
    let after = 0;
    for (;;) {
      const page = await t.chat.history(roomId, { after, limit: 3 });
      pages.push(page);
      if (page.nextCursor === undefined) break;
      after = Number(page.nextCursor);
    }
    const missed = await t.chat.history(roomId, { after: 5, limit: 50 });
    const upToDate = await t.chat.history(roomId, { after: 7, limit: 50 });

    // Assert
    expect(pages.map((p) => [p.items.map((m) => m.seq), p.nextCursor])).toEqual([
      [[1, 2, 3], '3'],
      [[4, 5, 6], '6'],
      [[7], undefined],
    ]);
    expect(missed.items.map((m) => m.text)).toEqual(['m6', 'm7']);
    expect(upToDate).toEqual({ items: [] });
    expect(pages[0]?.items[0]).toEqual({
      roomId,
      seq: 1,
      messageId: expect.any(String),
      userId: 'u-0',
      displayName: 'User 0',
      text: 'm1',
      sentAt: expect.any(String),
    });
  });

  it('answers the history of a room that does not exist with ROOM_NOT_FOUND', async () => {
    // Arrange
    const t = await chatOnTable(client);

    // Act
    const history = t.chat.history('ghost', { after: 0, limit: 10 });

    // Assert
    await expect(history).rejects.toBeInstanceOf(RoomNotFoundError);
  });

  it('lists rooms in creation order with an opaque cursor, and refuses a forged one', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const created = [];
    for (const name of ['One', 'Two', 'Three']) created.push(await t.chat.createRoom(name, 'u-1'));

    // Act
    const first = await t.chat.listRooms({ limit: 2 });
    const second = await t.chat.listRooms({ limit: 2, cursor: first.nextCursor });
    const forged = t.chat.listRooms({
      limit: 2,
      cursor: Buffer.from('{"v":1,"after":"x"}').toString('base64url'),
    });

    // Assert
    expect([...first.items, ...second.items]).toEqual(created);
    expect(second.nextCursor).toBeUndefined();
    await expect(forged).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    expect(await t.rooms.get(created[0]?.roomId ?? '')).toEqual(created[0]);
  });
});
