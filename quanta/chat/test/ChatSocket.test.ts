import { type ErrorFrame, errorFrameSchema, serverFrameSchema } from '@quanta/contracts/chat';
import { describe, expect, it, vi } from 'vitest';
import { fallbackDisplayName, parseClientFrame } from '../service/ChatSocket';
import { alice, bob, chatOnFakes } from './fakes/chatOnFakes';

/** A room both Alice (`c-alice`) and Bob (`c-bob`) joined; their `joined` frames already taken. */
async function roomWithAliceAndBob(t: ReturnType<typeof chatOnFakes>) {
  const { roomId } = await t.chat.createRoom('General', alice.userId);
  await t.connect('c-alice', alice);
  await t.connect('c-bob', bob);
  await t.receive('c-alice', { action: 'join', roomId });
  await t.receive('c-bob', { action: 'join', roomId });
  t.take('c-alice');
  t.take('c-bob');
  return roomId;
}

/** The only frame `connectionId` got, as an error frame. */
function onlyError(t: ReturnType<typeof chatOnFakes>, connectionId: string): ErrorFrame {
  const frames = t.take(connectionId);
  expect(frames).toHaveLength(1);
  return errorFrameSchema.parse(frames[0]);
}

describe('ChatSocket', () => {
  it('answers a join with joined and the room’s last seq', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId } = await t.chat.createRoom('General', alice.userId);
    await t.connect('c-alice', alice);

    // Act
    await t.receive('c-alice', { action: 'join', roomId });

    // Assert
    expect(t.take('c-alice')).toEqual([{ type: 'joined', roomId, lastSeq: 0 }]);
  });

  it('acks a send to the sender, then pushes the message to every member, the sender included', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);
    await t.connect('c-carol', { userId: 'u-carol', sessionId: 's-carol', roles: [], displayName: 'Carol' });

    // Act
    await t.receive('c-alice', { action: 'send', roomId, text: 'Hello', clientMessageId: 'm-1' });

    // Assert
    const message = {
      type: 'message',
      roomId,
      seq: 1,
      messageId: expect.any(String),
      userId: alice.userId,
      displayName: 'Alice',
      text: 'Hello',
      sentAt: '2026-03-01T12:00:00.000Z',
    };
    const aliceFrames = t.take('c-alice');
    expect(aliceFrames).toEqual([
      { type: 'ack', clientMessageId: 'm-1', messageId: expect.any(String), seq: 1 },
      message,
    ]);
    expect(t.take('c-bob')).toEqual([message]);
    expect(t.take('c-carol')).toEqual([]);
    for (const frame of aliceFrames) expect(serverFrameSchema.safeParse(frame).success).toBe(true);
  });

  it('acks a re-sent clientMessageId with the original messageId and seq, and pushes nothing new', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);
    const send = { action: 'send', roomId, text: 'Hello', clientMessageId: 'm-1' };
    await t.receive('c-alice', send);
    const [firstAck] = t.take('c-alice');
    t.take('c-bob');

    // Act
    await t.receive('c-alice', send);

    // Assert
    expect(t.take('c-alice')).toEqual([firstAck]);
    expect(t.take('c-bob')).toEqual([]);
    expect(t.store.messages.get(roomId)).toHaveLength(1);
  });

  it('answers a send to a room not joined with NOT_JOINED and keeps the connection', async () => {
    // Arrange
    const t = chatOnFakes();
    const { roomId } = await t.chat.createRoom('General', alice.userId);
    await t.connect('c-alice', alice);

    // Act
    await t.receive('c-alice', { action: 'send', roomId, text: 'Hello', clientMessageId: 'm-1' });

    // Assert
    expect(onlyError(t, 'c-alice')).toMatchObject({ code: 'NOT_JOINED' });
    expect(t.gateway.closed).toEqual([]);
    expect(t.store.messages.get(roomId)).toEqual([]);
  });

  it('answers a text of 2,001 characters with MESSAGE_TOO_LONG and takes 2,000 emoji', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);

    // Act
    await t.receive('c-alice', { action: 'send', roomId, text: 'x'.repeat(2001), clientMessageId: 'm-1' });
    const tooLong = onlyError(t, 'c-alice');
    await t.receive('c-alice', { action: 'send', roomId, text: '😀'.repeat(2000), clientMessageId: 'm-2' });

    // Assert
    expect(tooLong).toMatchObject({ code: 'MESSAGE_TOO_LONG', message: expect.stringContaining('2000') });
    expect(t.take('c-alice').map((f) => f.type)).toEqual(['ack', 'message']);
  });

  it('answers a text with a control character or a bidi override with VALIDATION_FAILED naming it, and takes line feeds and tabs', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);

    // Act
    await t.receive('c-alice', { action: 'send', roomId, text: 'ring\u0007', clientMessageId: 'm-1' });
    const control = onlyError(t, 'c-alice');
    await t.receive('c-alice', { action: 'send', roomId, text: 'evil\u202Etxt', clientMessageId: 'm-2' });
    const bidi = onlyError(t, 'c-alice');
    await t.receive('c-alice', { action: 'send', roomId, text: 'line 1\n\tline 2', clientMessageId: 'm-3' });

    // Assert
    expect(control).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('U+0007') });
    expect(bidi).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('U+202E') });
    expect(t.take('c-alice').map((f) => f.type)).toEqual(['ack', 'message']);
    expect(t.store.messages.get(roomId)?.map((m) => m.text)).toEqual(['line 1\n\tline 2']);
  });

  it.each([
    ['not JSON', '{"action":', 'INVALID_JSON'],
    ['an empty frame', '', 'INVALID_JSON'],
    ['no action', { roomId: 'r-1' }, 'UNKNOWN_ACTION'],
    ['an unknown action', { action: 'dance' }, 'UNKNOWN_ACTION'],
    ['JSON that is not an object', '42', 'UNKNOWN_ACTION'],
    ['a join without roomId', { action: 'join' }, 'VALIDATION_FAILED'],
    ['a send without clientMessageId', { action: 'send', roomId: 'r-1', text: 'hi' }, 'VALIDATION_FAILED'],
    ['an empty text', { action: 'send', roomId: 'r-1', text: '', clientMessageId: 'm' }, 'VALIDATION_FAILED'],
    ['a room id that cannot be an id', { action: 'leave', roomId: 'a b' }, 'VALIDATION_FAILED'],
  ])('answers %s with an error frame %s and keeps the connection open', async (_, frame, code) => {
    // Arrange
    const t = chatOnFakes();
    await t.connect('c-alice', alice);

    // Act
    await t.receive('c-alice', frame);

    // Assert
    expect(onlyError(t, 'c-alice').code).toBe(code);
    expect(t.gateway.closed).toEqual([]);
  });

  it('names the missing field in a VALIDATION_FAILED message', () => {
    // Act
    const frame = parseClientFrame('{"action":"send","roomId":"r-1","text":"hi"}');

    // Assert
    expect(frame).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect((frame as ErrorFrame).message).toMatch(/clientMessageId/);
  });

  it('lets a connection send a burst of 20 frames, answers the 21st with RATE_LIMITED, and recovers', async () => {
    // Arrange
    const t = chatOnFakes();
    await t.connect('c-alice', alice);
    const leave = () => t.receive('c-alice', { action: 'leave', roomId: 'r-1' });

    // Act
    for (let n = 1; n <= 21; n++) await leave();
    const burst = t.take('c-alice');
    t.rateLimiter.now += 100;
    await leave();

    // Assert
    expect(burst.slice(0, 20).every((f) => f.type === 'left')).toBe(true);
    expect(burst[20]).toEqual({ type: 'error', code: 'RATE_LIMITED', message: expect.any(String) });
    expect(t.take('c-alice')).toEqual([{ type: 'left', roomId: 'r-1' }]);
  });

  it('counts every frame against the rate, a send or an invalid one alike', async () => {
    // Arrange
    const t = chatOnFakes({ limit: { perSecond: 1, burst: 3 } });
    const roomId = await roomWithAliceAndBob(t); // one token spent on the join

    // Act
    await t.receive('c-alice', 'not json');
    await t.receive('c-alice', { action: 'send', roomId, text: 'hi', clientMessageId: 'm-1' });
    await t.receive('c-alice', { action: 'send', roomId, text: 'hi again', clientMessageId: 'm-2' });

    // Assert
    expect(t.take('c-alice').map((f) => (f.type === 'error' ? f.code : f.type))).toEqual([
      'INVALID_JSON',
      'ack',
      'message',
      'RATE_LIMITED',
    ]);
    expect(t.store.lastSeqs.get(roomId)).toBe(1);
  });

  it('counts each connection against its own rate', async () => {
    // Arrange
    const t = chatOnFakes({ limit: { perSecond: 1, burst: 1 } });
    await t.connect('c-alice', alice);
    await t.connect('c-bob', bob);

    // Act
    await t.receive('c-alice', { action: 'leave', roomId: 'r-1' });
    await t.receive('c-bob', { action: 'leave', roomId: 'r-1' });
    await t.receive('c-alice', { action: 'leave', roomId: 'r-1' });

    // Assert
    expect(t.take('c-bob')).toEqual([{ type: 'left', roomId: 'r-1' }]);
    expect(t.take('c-alice').map((f) => (f.type === 'error' ? f.code : f.type))).toEqual([
      'left',
      'RATE_LIMITED',
    ]);
  });

  it('stops pushing a room’s messages to a connection that left it', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);

    // Act
    await t.receive('c-bob', { action: 'leave', roomId });
    await t.receive('c-alice', { action: 'send', roomId, text: 'anyone?', clientMessageId: 'm-1' });

    // Assert
    expect(t.take('c-bob')).toEqual([{ type: 'left', roomId }]);
    expect(t.take('c-alice').map((f) => f.type)).toEqual(['ack', 'message']);
  });

  it('answers a join of an unknown room with ROOM_NOT_FOUND', async () => {
    // Arrange
    const t = chatOnFakes();
    await t.connect('c-alice', alice);

    // Act
    await t.receive('c-alice', { action: 'join', roomId: 'ghost' });

    // Assert
    expect(onlyError(t, 'c-alice')).toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  it('answers a frame on a connection it does not know with UNKNOWN_CONNECTION', async () => {
    // Arrange
    const t = chatOnFakes();
    t.gateway.open.add('c-stray');

    // Act
    await t.receive('c-stray', { action: 'leave', roomId: 'r-1' });

    // Assert
    expect(onlyError(t, 'c-stray')).toMatchObject({ code: 'UNKNOWN_CONNECTION' });
  });

  it('answers an unexpected failure with a generic INTERNAL_ERROR and logs it', async () => {
    // Arrange
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const t = chatOnFakes({ log });
    await t.connect('c-alice', alice);
    t.store.connectionRepository.leave = async () => {
      throw new Error('disk on fire at 10.0.0.1');
    };

    // Act
    await t.receive('c-alice', { action: 'leave', roomId: 'r-1' });

    // Assert
    expect(onlyError(t, 'c-alice')).toEqual({
      type: 'error',
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on the server',
    });
    expect(log.error).toHaveBeenCalledWith('Frame failed', expect.objectContaining({ action: 'leave' }));
  });

  it('forgets a member whose connection is gone while broadcasting, and still reaches the others', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);
    t.gateway.open.delete('c-bob');

    // Act
    await t.receive('c-alice', { action: 'send', roomId, text: 'Hello', clientMessageId: 'm-1' });

    // Assert
    expect(t.take('c-alice').map((f) => f.type)).toEqual(['ack', 'message']);
    expect(t.store.connections.has('c-bob')).toBe(false);
    expect(await t.store.connectionRepository.members(roomId)).toEqual(['c-alice']);
  });

  it('acks a stored message without an error frame when its broadcast fails, and logs it', async () => {
    // Arrange
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const t = chatOnFakes({ log });
    const roomId = await roomWithAliceAndBob(t);
    t.store.connectionRepository.members = async () => {
      throw new Error('members unavailable');
    };

    // Act
    await t.receive('c-alice', { action: 'send', roomId, text: 'Hello', clientMessageId: 'm-1' });

    // Assert
    expect(t.take('c-alice')).toEqual([
      { type: 'ack', clientMessageId: 'm-1', messageId: expect.any(String), seq: 1 },
    ]);
    expect(log.error).toHaveBeenCalledWith(
      'Message stored but not broadcast',
      expect.objectContaining({ seq: 1 }),
    );
  });

  it('names a connection after the platform’s display name, else chat’s copy, else the user id', async () => {
    // Arrange
    const t = chatOnFakes();
    await t.users.remember('u-dora', 'Dora');

    // Act
    const given = await t.connect('c-1', alice);
    const known = await t.connect('c-2', { userId: 'u-dora', sessionId: 's', roles: [] });
    const unknown = await t.connect('c-3', { userId: '0123456789abcdef', sessionId: 's', roles: [] });

    // Assert
    expect([given.displayName, known.displayName, unknown.displayName]).toEqual([
      'Alice',
      'Dora',
      fallbackDisplayName('0123456789abcdef'),
    ]);
    expect(unknown.displayName).toBe('user-01234567');
  });

  it('forgets a connection on disconnect', async () => {
    // Arrange
    const t = chatOnFakes();
    const roomId = await roomWithAliceAndBob(t);

    // Act
    await t.socket.disconnect('c-bob');

    // Assert
    expect(await t.store.connectionRepository.members(roomId)).toEqual(['c-alice']);
  });

  it('pushes an order update to every open connection of its owner, and to nobody else', async () => {
    // Arrange
    const t = chatOnFakes();
    await t.connect('c-alice-phone', alice);
    await t.connect('c-alice-laptop', { ...alice, sessionId: 's-alice-2' });
    await t.connect('c-bob', bob);

    // Act
    const report = await t.socket.orderChanged({
      orderId: 'o-1',
      userId: alice.userId,
      status: 'CANCELLED',
      reason: 'OUT_OF_STOCK',
    });

    // Assert
    const frame = { type: 'order', orderId: 'o-1', status: 'CANCELLED', reason: 'OUT_OF_STOCK' };
    expect(t.take('c-alice-phone')).toEqual([frame]);
    expect(t.take('c-alice-laptop')).toEqual([frame]);
    expect(t.take('c-bob')).toEqual([]);
    expect(report).toMatchObject({ delivered: 2, gone: 0, failed: 0 });
  });

  it('closes and forgets every connection of a revoked session, and only those', async () => {
    // Arrange
    const t = chatOnFakes();
    await t.connect('c-1', alice);
    await t.connect('c-2', alice);
    await t.connect('c-other-session', { ...alice, sessionId: 's-alice-2' });

    // Act
    const closed = await t.socket.closeSession(alice.sessionId);

    // Assert
    expect(closed).toBe(2);
    expect(t.gateway.closed.sort()).toEqual(['c-1', 'c-2']);
    expect([...t.store.connections.keys()]).toEqual(['c-other-session']);
  });

  it('fails a session revocation when a connection could not be closed, so the event is retried', async () => {
    // Arrange
    const t = chatOnFakes();
    await t.connect('c-1', alice);
    await t.connect('c-2', alice);
    t.gateway.failing.add('c-2');

    // Act
    const closing = t.socket.closeSession(alice.sessionId);

    // Assert
    await expect(closing).rejects.toThrow(/1 of 2 connections of session s-alice were not closed.*c-2/);
    expect(t.gateway.closed).toEqual(['c-1']);
  });
});
