import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { serverFrameSchema } from '@quanta/contracts/chat';
import {
  type DynamoDbLocal,
  dynamoDbClientFor,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketHandler } from '../functions/webSocketHandler';
import { chatOnTable } from './fakes/chatOnTable';
import { ticketAuthorizer, webSocketEvent } from './fakes/webSocketEvent';

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

/** chat's `ws` handler on a fresh table, pushing to a fake `@connections`. */
async function wsOnTable() {
  const t = await chatOnTable(client);
  const handler = webSocketHandler(t.socket, { observability: testObservability('chat') });
  const call = (...args: Parameters<typeof webSocketEvent>) =>
    handler(webSocketEvent(...args), lambdaContext());
  /** Opens a connection as API Gateway would: `$connect` with the authorizer's context, then the socket is open. */
  const connect = async (connectionId: string, userId: string, sessionId: string) => {
    const result = await call('$connect', connectionId, { authorizer: ticketAuthorizer(userId, sessionId) });
    t.gateway.open.add(connectionId);
    return result;
  };
  /** The frames pushed to `connectionId` since the last call (each checked against the contract). */
  const take = (connectionId: string) => {
    const frames = [...t.gateway.framesOf(connectionId)];
    t.gateway.frames.delete(connectionId);
    return frames.map((f) => serverFrameSchema.parse(f));
  };
  return { ...t, handler, call, connect, take };
}

describe('chat ws function', () => {
  it('records a connection on $connect with the authorizer’s user and session, named from chat’s copy', async () => {
    // Arrange
    const t = await wsOnTable();
    await t.users.remember('u-ada', 'Ada');

    // Act
    const result = await t.connect('Abc=', 'u-ada', 's-1');

    // Assert
    expect(result).toEqual({ statusCode: 200 });
    expect(await t.connections.get('Abc=')).toMatchObject({
      connectionId: 'Abc=',
      userId: 'u-ada',
      sessionId: 's-1',
      displayName: 'Ada',
      rooms: [],
    });
    expect(t.gateway.frames.size).toBe(0);
  });

  it('refuses a $connect without an authorizer context with 401 and records nothing', async () => {
    // Arrange
    const t = await wsOnTable();

    // Act
    const result = await t.call('$connect', 'Abc=');

    // Assert
    expect(result).toEqual({ statusCode: 401 });
    expect(await t.connections.get('Abc=')).toBeUndefined();
  });

  it('joins, sends and acks through the join and send routes, every answer through @connections', async () => {
    // Arrange
    const t = await wsOnTable();
    const { roomId } = await t.chat.createRoom('General', 'u-1');
    await t.connect('c-1', 'u-1', 's-1');
    await t.connect('c-2', 'u-2', 's-2');

    // Act
    const joined = await t.call('join', 'c-1', { body: { action: 'join', roomId } });
    await t.call('join', 'c-2', { body: { action: 'join', roomId } });
    t.take('c-2');
    const sent = await t.call('send', 'c-1', {
      body: { action: 'send', roomId, text: 'Hello', clientMessageId: 'm-1' },
    });

    // Assert
    expect([joined, sent]).toEqual([{ statusCode: 200 }, { statusCode: 200 }]);
    const frames = t.take('c-1');
    expect(frames.map((f) => f.type)).toEqual(['joined', 'ack', 'message']);
    expect(frames[0]).toEqual({ type: 'joined', roomId, lastSeq: 0 });
    expect(frames[1]).toMatchObject({ type: 'ack', clientMessageId: 'm-1', seq: 1 });
    expect(t.take('c-2')).toEqual([frames[2]]);
    expect(frames[2]).toMatchObject({ type: 'message', roomId, seq: 1, userId: 'u-1', text: 'Hello' });
  });

  it('answers a frame API Gateway routed to $default with an error frame and a 200', async () => {
    // Arrange
    const t = await wsOnTable();
    await t.connect('c-1', 'u-1', 's-1');

    // Act
    const garbage = await t.call('$default', 'c-1', { body: 'hello?' });
    const unknown = await t.call('$default', 'c-1', { body: { action: 'shout' } });

    // Assert
    expect([garbage, unknown]).toEqual([{ statusCode: 200 }, { statusCode: 200 }]);
    expect(t.take('c-1').map((f) => (f.type === 'error' ? f.code : f.type))).toEqual([
      'INVALID_JSON',
      'UNKNOWN_ACTION',
    ]);
  });

  it('reads a frame sent as binary (base64) like a text one', async () => {
    // Arrange
    const t = await wsOnTable();
    const { roomId } = await t.chat.createRoom('General', 'u-1');
    await t.connect('c-1', 'u-1', 's-1');

    // Act
    await t.call('join', 'c-1', { body: { action: 'join', roomId }, binary: true });

    // Assert
    expect(t.take('c-1')).toEqual([{ type: 'joined', roomId, lastSeq: 0 }]);
  });

  it('forgets the connection and its memberships on $disconnect', async () => {
    // Arrange
    const t = await wsOnTable();
    const { roomId } = await t.chat.createRoom('General', 'u-1');
    await t.connect('c-1', 'u-1', 's-1');
    await t.call('join', 'c-1', { body: { action: 'join', roomId } });

    // Act
    const result = await t.call('$disconnect', 'c-1');
    const again = await t.call('$disconnect', 'c-1');

    // Assert
    expect([result, again]).toEqual([{ statusCode: 200 }, { statusCode: 200 }]);
    expect(await t.connections.get('c-1')).toBeUndefined();
    expect(await t.connections.members(roomId)).toEqual([]);
    expect(await t.connections.bySession('s-1')).toEqual([]);
  });
});
