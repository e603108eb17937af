import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { messagePageSchema, roomPageSchema, roomSchema } from '@quanta/contracts/chat';
import { errorBodySchema } from '@quanta/contracts/http';
import type { AuthorizerContext } from '@quanta/contracts/platform';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import {
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../functions/routes';
import chat from '../quantum';
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

const alice: AuthorizerContext = { userId: 'u-alice', sessionId: 's-1', roles: ['customer'] };

/** chat's api function on a fresh table. */
async function apiOnTable() {
  const t = await chatOnTable(client);
  const api = httpHandler(createRouter(chat.routes ?? [], routes(t.chat)), {
    observability: testObservability('chat'),
  });
  const call = async (input: Parameters<typeof httpApiEvent>[0]) => {
    const response = await api(httpApiEvent(input), lambdaContext());
    return { ...response, json: response.body === '' ? undefined : (JSON.parse(response.body) as unknown) };
  };
  return { ...t, call };
}

describe('chat api on DynamoDB Local', () => {
  it('creates a room for the caller: 201 with roomId, name, createdBy and createdAt', async () => {
    // Arrange
    const t = await apiOnTable();

    // Act
    const response = await t.call({
      method: 'POST',
      path: '/chat/rooms',
      body: { name: '  General  ' },
      caller: alice,
    });

    // Assert
    expect(response.statusCode).toBe(201);
    expect(roomSchema.parse(response.json)).toEqual({
      roomId: expect.any(String),
      name: 'General',
      createdBy: 'u-alice',
      createdAt: expect.any(String),
    });
  });

  it.each([
    ['a blank name', { name: '   ' }],
    ['a name of 81 characters', { name: 'x'.repeat(81) }],
    ['no name', {}],
    ['an unknown field', { name: 'ok', topic: 'x' }],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_, body) => {
    // Arrange
    const t = await apiOnTable();

    // Act
    const response = await t.call({ method: 'POST', path: '/chat/rooms', body, caller: alice });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(errorBodySchema.parse(response.json).error.code).toBe('VALIDATION_FAILED');
  });

  it('answers every route without a caller with 401', async () => {
    // Arrange
    const t = await apiOnTable();

    // Act
    const responses = await Promise.all([
      t.call({ method: 'POST', path: '/chat/rooms', body: { name: 'x' } }),
      t.call({ method: 'GET', path: '/chat/rooms' }),
      t.call({ method: 'GET', path: '/chat/rooms/r-1/messages' }),
    ]);

    // Assert
    expect(responses.map((r) => r.statusCode)).toEqual([401, 401, 401]);
  });

  it('lists rooms to any signed-in user, a page at a time', async () => {
    // Arrange
    const t = await apiOnTable();
    for (const name of ['One', 'Two', 'Three']) {
      await t.call({ method: 'POST', path: '/chat/rooms', body: { name }, caller: alice });
    }
    const bob: AuthorizerContext = { userId: 'u-bob', sessionId: 's-2', roles: [] };

    // Act
    const first = roomPageSchema.parse(
      (await t.call({ method: 'GET', path: '/chat/rooms', query: { limit: '2' }, caller: bob })).json,
    );
    const rest = roomPageSchema.parse(
      (
        await t.call({
          method: 'GET',
          path: '/chat/rooms',
          query: { limit: '2', cursor: first.nextCursor ?? '' },
          caller: bob,
        })
      ).json,
    );

    // Assert
    expect([...first.items, ...rest.items].map((r) => r.name)).toEqual(['One', 'Two', 'Three']);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('serves a room’s history after a seq, ascending, with nextCursor while more follow', async () => {
    // Arrange
    const t = await apiOnTable();
    const room = roomSchema.parse(
      (await t.call({ method: 'POST', path: '/chat/rooms', body: { name: 'General' }, caller: alice })).json,
    );
    const connection = {
      connectionId: 'c-1',
      userId: 'u-alice',
      sessionId: 's-1',
      displayName: 'Alice',
      connectedAt: new Date().toISOString(),
      rooms: [room.roomId],
    };
    await t.connections.save({ ...connection, rooms: [] });
    await t.connections.join('c-1', room.roomId, 50);
    for (let n = 1; n <= 3; n++) {
      await t.chat.send(
        connection,
        { roomId: room.roomId, text: `m${n}`, clientMessageId: `m-${n}` },
        {
          correlationId: 'c',
        },
      );
    }
    const path = `/chat/rooms/${room.roomId}/messages`;

    // Act
    const page = await t.call({ method: 'GET', path, query: { after: '1', limit: '1' }, caller: alice });
    const all = await t.call({ method: 'GET', path, caller: alice });

    // Assert
    expect(page.statusCode).toBe(200);
    expect(messagePageSchema.parse(page.json)).toEqual({
      items: [expect.objectContaining({ seq: 2, text: 'm2', displayName: 'Alice', userId: 'u-alice' })],
      nextCursor: '2',
    });
    expect(messagePageSchema.parse(all.json).items.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('answers the history of an unknown room with 404 ROOM_NOT_FOUND', async () => {
    // Arrange
    const t = await apiOnTable();

    // Act
    const response = await t.call({ method: 'GET', path: '/chat/rooms/ghost/messages', caller: alice });

    // Assert
    expect(response.statusCode).toBe(404);
    expect(errorBodySchema.parse(response.json).error.code).toBe('ROOM_NOT_FOUND');
  });

  it.each([
    ['limit=0', { limit: '0' }],
    ['limit=101', { limit: '101' }],
    ['after=-1', { after: '-1' }],
    ['after=abc', { after: 'abc' }],
  ])('refuses a history query with %s with 400', async (_, query) => {
    // Arrange
    const t = await apiOnTable();

    // Act
    const response = await t.call({ method: 'GET', path: '/chat/rooms/r-1/messages', query, caller: alice });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(errorBodySchema.parse(response.json).error.code).toBe('VALIDATION_FAILED');
  });
});
