import { randomUUID } from 'node:crypto';
import { messagePageSchema, roomSchema } from '@quanta/contracts/chat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, connectAs, handshakeStatus, ticketFor } from './support/chatClient';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { signUpAndLogIn } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * Chat over the platform's WebSocket API on the local cloud, as a client sees it: a one-time ticket
 * from `POST /realtime/tickets`, the handshake, the exact frames, history by `seq`, logout closing
 * the session's sockets, AWS's frame limit. Tickets here live 8 s instead of 60 so one can expire
 * within the test (`chatDelivery.local.test.ts` runs with the default).
 */
const TICKET_TTL_SECONDS = 8;
let target: E2eTarget;
let api: HttpClient;

beforeAll(async () => {
  target = await startE2eTarget({
    authorizerCacheTtlSeconds: 1,
    environment: { platform: { TICKET_TTL_SECONDS: String(TICKET_TTL_SECONDS) } },
  });
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

async function createRoom(token: string, name: string): Promise<string> {
  const created = await api.call('POST', '/chat/rooms', { token, body: { name } });
  expect(created.status).toBe(201);
  return roomSchema.parse(created.body).roomId;
}

describe('chat on the local cloud', () => {
  it('issues a single-use ticket whose url connects, and refuses it the second time', async () => {
    const user = await signUpAndLogIn(api, 'ticket');
    const { url, expiresIn } = await ticketFor(api, user);

    expect(expiresIn).toBe(TICKET_TTL_SECONDS);
    const client = await ChatClient.connect(url);
    expect(await handshakeStatus(url)).toBe(403);
    expect(await handshakeStatus(url.replace(/ticket=[^&]+/, 'ticket=unknown-ticket-0000000000'))).toBe(403);
    expect(await handshakeStatus(url.replace(/\?.*$/, ''))).toBe(401);
    await client.close();
  });

  it('refuses a ticket once it has expired', async () => {
    const user = await signUpAndLogIn(api, 'late');
    const { url } = await ticketFor(api, user);

    await new Promise((resolve) => setTimeout(resolve, (TICKET_TTL_SECONDS + 1.5) * 1000));

    expect(await handshakeStatus(url)).toBe(403);
  });

  it('refuses an unused ticket of a session that has logged out', async () => {
    const user = await signUpAndLogIn(api, 'revoked');
    const { url } = await ticketFor(api, user);

    const logout = await api.call('POST', '/identity/logout', { token: user.tokens.accessToken });
    expect(logout.status).toBe(204);
    // The revocation reaches the platform's denylist through the bus; the HTTP API refusing the token
    // (authorizer cache 1 s) shows it has arrived, and the ticket is not spent on an earlier try.
    await waitFor('the session to be revoked', async () => {
      const me = await api.call('GET', '/identity/me', { token: user.tokens.accessToken });
      return me.status === 401 || me.status === 403 ? true : undefined;
    });

    expect(await handshakeStatus(url)).toBe(403);
  });

  it('lets two users chat with the exact frames, and the history holds the same messages', async () => {
    const alice = await signUpAndLogIn(api, 'alice');
    const bob = await signUpAndLogIn(api, 'bob');
    const created = await api.call('POST', '/chat/rooms', {
      token: alice.tokens.accessToken,
      body: { name: 'general' },
    });
    expect(created.status).toBe(201);
    const room = roomSchema.parse(created.body);
    const a = await connectAs(api, alice);
    const b = await connectAs(api, bob);

    a.send({ action: 'join', roomId: room.roomId });
    b.send({ action: 'join', roomId: room.roomId });
    expect(await a.next('joined')).toEqual({ type: 'joined', roomId: room.roomId, lastSeq: 0 });
    await b.next('joined');
    const clientMessageId = randomUUID();
    a.send({ action: 'send', roomId: room.roomId, text: 'hello bob', clientMessageId });

    const ack = await a.next('ack');
    const atBob = await b.next('message');
    const atAlice = await a.next('message');
    expect(ack).toEqual({ type: 'ack', clientMessageId, messageId: expect.any(String), seq: 1 });
    expect(atBob).toEqual({
      type: 'message',
      roomId: room.roomId,
      seq: 1,
      messageId: ack.messageId,
      userId: alice.userId,
      displayName: expect.any(String),
      text: 'hello bob',
      sentAt: expect.any(String),
    });
    expect(atAlice).toEqual(atBob);

    const history = await api.call('GET', `/chat/rooms/${room.roomId}/messages?after=0&limit=10`, {
      token: bob.tokens.accessToken,
    });
    expect(history.status).toBe(200);
    const { type: _type, ...message } = atBob;
    expect(messagePageSchema.parse(history.body).items).toEqual([message]);
    await a.close();
    await b.close();
  });

  it('stores and broadcasts a re-sent clientMessageId once, acking it with the original messageId and seq', async () => {
    const user = await signUpAndLogIn(api, 'resender');
    const roomId = await createRoom(user.tokens.accessToken, 'retries');
    const client = await connectAs(api, user);
    await client.join(roomId);
    const clientMessageId = randomUUID();

    client.send({ action: 'send', roomId, text: 'once', clientMessageId });
    const first = await client.next('ack');
    client.send({ action: 'send', roomId, text: 'once', clientMessageId });
    const acks = await waitFor('the second ack', async () => {
      const found = client.all('ack');
      return found.length >= 2 ? found : undefined;
    });
    // A later message arrives after any broadcast of the re-send would have.
    client.send({ action: 'send', roomId, text: 'next', clientMessageId: randomUUID() });
    await client.next('message', (f) => f.text === 'next');

    expect(acks[1]).toEqual(first);
    expect(first.seq).toBe(1);
    expect(client.all('message').map((f) => [f.seq, f.text])).toEqual([
      [1, 'once'],
      [2, 'next'],
    ]);
    const history = await api.call('GET', `/chat/rooms/${roomId}/messages?after=0&limit=10`, {
      token: user.tokens.accessToken,
    });
    expect(messagePageSchema.parse(history.body).items.map((m) => m.text)).toEqual(['once', 'next']);
    await client.close();
  });

  it('answers a bad frame with an error frame and keeps the connection open', async () => {
    const user = await signUpAndLogIn(api, 'bad');
    const client = await connectAs(api, user);

    client.send('not json');
    client.send({ action: 'send', roomId: 'nowhere', text: 'hi', clientMessageId: randomUUID() });

    const errors = await waitFor(
      'two error frames',
      async () => {
        const found = client.frames.filter((f) => f.type === 'error');
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    for (const error of errors) {
      expect(error).toEqual({ type: 'error', code: expect.any(String), message: expect.any(String) });
    }
    expect(client.closedWith).toBeUndefined();
    await client.close();
  });

  it("accepts a frame of AWS's 32 KB limit and closes the connection with 1009 on a larger one", async () => {
    const user = await signUpAndLogIn(api, 'big');
    const client = await connectAs(api, user);
    const frameOf = (bytes: number) => {
      const head = JSON.stringify({ action: 'send', roomId: 'r', text: '', clientMessageId: randomUUID() });
      return `${head.slice(0, -1)},"pad":"${'x'.repeat(bytes - head.length - 9)}"}`;
    };
    expect(Buffer.byteLength(frameOf(32_768))).toBe(32_768);

    client.send(frameOf(32_768));
    const refused = await client.next('error');
    client.send(frameOf(32_769));

    expect(refused).toEqual({ type: 'error', code: expect.any(String), message: expect.any(String) });
    await waitFor('the socket to close', async () => client.closedWith, { timeoutMs: 5_000, intervalMs: 20 });
    expect(client.closedWith).toBe(1009);
  });

  it('closes the sockets of a session within 2 s of its logout', async () => {
    const user = await signUpAndLogIn(api, 'leaver');
    const client = await connectAs(api, user);

    const logout = await api.call('POST', '/identity/logout', { token: user.tokens.accessToken });
    const loggedOutAt = Date.now();
    expect(logout.status).toBe(204);

    await waitFor('the socket to close', async () => client.closedWith, { timeoutMs: 5_000, intervalMs: 20 });
    expect(Date.now() - loggedOutAt).toBeLessThan(2_000);
  });
});
