import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type DynamoDbLocal, dynamoDbClientFor, useDynamoDbLocal } from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../adapters/DynamoDbRateLimiter';
import type { Connection } from '../domain/Connection';
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

const connectionOf = (connectionId: string, userId: string, sessionId: string): Connection => ({
  connectionId,
  userId,
  sessionId,
  displayName: `${userId} name`,
  connectedAt: '2026-03-01T12:00:00.000Z',
  rooms: [],
});

describe('chat connections on DynamoDB Local', () => {
  it('stores a connection with an expiry and reads it back', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const connection = connectionOf('Abc123=', 'u-1', 's-1');

    // Act
    await t.connections.save(connection);
    const read = await t.connections.get('Abc123=');

    // Assert
    expect(read).toEqual(connection);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: t.tableName, Key: marshall({ pk: 'CONN#Abc123=', sk: 'CONN' }) }),
    );
    const expiresAt = Number(unmarshall(Item ?? {}).expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.now() / 1000 + 2 * 3600);
  });

  it('finds connections by user and by session through their indexes', async () => {
    // Arrange
    const t = await chatOnTable(client);
    await t.connections.save(connectionOf('c-1', 'u-alice', 's-phone'));
    await t.connections.save(connectionOf('c-2', 'u-alice', 's-laptop'));
    await t.connections.save(connectionOf('c-3', 'u-alice', 's-laptop'));
    await t.connections.save(connectionOf('c-4', 'u-bob', 's-bob'));

    // Act
    const alices = await t.connections.byUser('u-alice');
    const laptop = await t.connections.bySession('s-laptop');
    const nobody = await t.connections.bySession('s-unknown');

    // Assert
    expect(alices.sort()).toEqual(['c-1', 'c-2', 'c-3']);
    expect(laptop.sort()).toEqual(['c-2', 'c-3']);
    expect(nobody).toEqual([]);
  });

  it('joins rooms on both sides at once, lists a room’s members, and leaves', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const { roomId } = await t.chat.createRoom('General', 'u-1');
    const other = await t.chat.createRoom('Other', 'u-1');
    await t.connections.save(connectionOf('c-1', 'u-1', 's-1'));
    await t.connections.save(connectionOf('c-2', 'u-2', 's-2'));

    // Act
    const joins = [
      await t.connections.join('c-1', roomId, 50),
      await t.connections.join('c-1', roomId, 50),
      await t.connections.join('c-2', roomId, 50),
      await t.connections.join('c-1', other.roomId, 50),
    ];
    const membersBefore = await t.connections.members(roomId);
    await t.connections.leave('c-2', roomId);

    // Assert
    expect(joins).toEqual(['JOINED', 'JOINED', 'JOINED', 'JOINED']);
    expect(membersBefore.sort()).toEqual(['c-1', 'c-2']);
    expect(await t.connections.members(roomId)).toEqual(['c-1']);
    expect((await t.connections.get('c-1'))?.rooms).toEqual([roomId, other.roomId].sort());
    expect((await t.connections.get('c-2'))?.rooms).toEqual([]);
  });

  it('refuses a join to an unknown room, from an unknown connection, or one room too many', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const first = await t.chat.createRoom('First', 'u-1');
    const second = await t.chat.createRoom('Second', 'u-1');
    await t.connections.save(connectionOf('c-1', 'u-1', 's-1'));
    await t.connections.join('c-1', first.roomId, 1);

    // Act
    const results = [
      await t.connections.join('c-1', 'ghost', 1),
      await t.connections.join('c-unknown', first.roomId, 1),
      await t.connections.join('c-1', second.roomId, 1),
      await t.connections.join('c-1', first.roomId, 1),
    ];

    // Assert
    expect(results).toEqual(['ROOM_NOT_FOUND', 'UNKNOWN_CONNECTION', 'TOO_MANY_ROOMS', 'JOINED']);
    expect(await t.connections.members(second.roomId)).toEqual([]);
    expect(await t.connections.get('c-unknown')).toBeUndefined();
  });

  it('removes a connection with its memberships, and leaves nothing behind when it is already gone', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const rooms = [];
    for (const name of ['A', 'B', 'C']) rooms.push(await t.chat.createRoom(name, 'u-1'));
    await t.connections.save(connectionOf('c-1', 'u-1', 's-1'));
    for (const room of rooms) await t.connections.join('c-1', room.roomId, 50);

    // Act
    const removed = await t.connections.remove('c-1');
    const again = await t.connections.remove('c-1');
    await t.connections.leave('c-1', rooms[0]?.roomId ?? '');

    // Assert
    expect(removed?.rooms).toHaveLength(3);
    expect(again).toBeUndefined();
    for (const room of rooms) expect(await t.connections.members(room.roomId)).toEqual([]);
    expect(await t.connections.get('c-1')).toBeUndefined();
    expect(await t.connections.byUser('u-1')).toEqual([]);
  });

  it('remembers display names', async () => {
    // Arrange
    const t = await chatOnTable(client);

    // Act
    await t.users.remember('u-1', 'Ada');
    await t.users.remember('u-1', 'Ada');

    // Assert
    expect(await t.users.displayNameOf('u-1')).toBe('Ada');
    expect(await t.users.displayNameOf('u-2')).toBeUndefined();
  });
});

describe('the DynamoDB rate limiter', () => {
  it('allows a burst of 20 at one instant, refuses the 21st, and allows one more 100 ms later', async () => {
    // Arrange
    const t = await chatOnTable(client);
    let now = 1_000_000;
    const limiter = new DynamoDbRateLimiter(t.table, { limit: { perSecond: 10, burst: 20 }, now: () => now });

    // Act
    const burst = [];
    for (let i = 0; i < 21; i++) burst.push(await limiter.tryAcquire('c-1'));
    now += 100;
    const refilled = [await limiter.tryAcquire('c-1'), await limiter.tryAcquire('c-1')];
    const other = await limiter.tryAcquire('c-2');

    // Assert
    expect(burst.filter(Boolean)).toHaveLength(20);
    expect(burst[20]).toBe(false);
    expect(refilled).toEqual([true, false]);
    expect(other).toBe(true);
  }, 60_000);

  it('shares one bucket between concurrent callers: 40 at once get exactly 20 tokens', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const limiter = new DynamoDbRateLimiter(t.table, {
      limit: { perSecond: 10, burst: 20 },
      now: () => 5_000_000,
    });

    // Act
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.tryAcquire('c-1')));

    // Assert
    expect(results.filter(Boolean)).toHaveLength(20);
  });

  it('lets its bucket item expire once the bucket would be full again', async () => {
    // Arrange
    const t = await chatOnTable(client);
    const now = 7_000_000;
    const limiter = new DynamoDbRateLimiter(t.table, { limit: { perSecond: 10, burst: 20 }, now: () => now });

    // Act
    await limiter.tryAcquire('c-1');

    // Assert
    const { Item } = await client.send(
      new GetItemCommand({ TableName: t.tableName, Key: marshall({ pk: 'RATE#c-1', sk: 'RATE' }) }),
    );
    expect(unmarshall(Item ?? {})).toEqual({
      pk: 'RATE#c-1',
      sk: 'RATE',
      tat: now + 100,
      expiresAt: 7_000 + 2 + 60,
    });
  });
});
