import { randomUUID } from 'node:crypto';
import { messagePageSchema, roomSchema } from '@quanta/contracts/chat';
import { realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { signUpAndLogIn, type TestUser } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * Chat over the platform's WebSocket API on the local cloud, as a client sees it: a one-time ticket
 * from `POST /realtime/tickets`, the handshake, the exact frames, history by `seq`, logout closing
 * the session's sockets.
 */
let target: E2eTarget;
let api: HttpClient;

beforeAll(async () => {
  target = await startE2eTarget({ authorizerCacheTtlSeconds: 1 });
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

/** A connected client that keeps every frame it receives. */
class ChatClient {
  readonly frames: Record<string, unknown>[] = [];
  closedWith: number | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    socket.on('close', (code) => {
      this.closedWith = code;
    });
  }

  static async connect(url: string): Promise<ChatClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
    });
    return new ChatClient(socket);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (after those already taken) of `type` matching `where`. */
  async next(type: string, where: (f: Record<string, unknown>) => boolean = () => true) {
    return waitFor(`a '${type}' frame`, async () => this.frames.find((f) => f.type === type && where(f)), {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
  }

  close(): void {
    this.socket.close();
  }
}

async function ticketFor(user: TestUser) {
  const response = await api.call('POST', '/realtime/tickets', { token: user.tokens.accessToken });
  expect(response.status).toBe(201);
  return realtimeTicketResponseSchema.parse(response.body);
}

async function handshakeStatus(url: string): Promise<number> {
  const socket = new WebSocket(url);
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => resolve(0));
  });
}

describe('chat on the local cloud', () => {
  it('issues a single-use ticket whose url connects, and refuses it the second time', async () => {
    const user = await signUpAndLogIn(api, 'ticket');
    const { url, expiresIn } = await ticketFor(user);

    expect(expiresIn).toBe(60);
    const client = await ChatClient.connect(url);
    expect(await handshakeStatus(url)).toBe(403);
    expect(await handshakeStatus(url.replace(/ticket=[^&]+/, 'ticket=unknown-ticket-0000000000'))).toBe(403);
    expect(await handshakeStatus(url.replace(/\?.*$/, ''))).toBe(401);
    client.close();
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
    const a = await ChatClient.connect((await ticketFor(alice)).url);
    const b = await ChatClient.connect((await ticketFor(bob)).url);

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
    a.close();
    b.close();
  });

  it('answers a bad frame with an error frame and keeps the connection open', async () => {
    const user = await signUpAndLogIn(api, 'bad');
    const client = await ChatClient.connect((await ticketFor(user)).url);

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
    client.close();
  });

  it('closes the sockets of a session within 2 s of its logout', async () => {
    const user = await signUpAndLogIn(api, 'leaver');
    const client = await ChatClient.connect((await ticketFor(user)).url);

    const logout = await api.call('POST', '/identity/logout', { token: user.tokens.accessToken });
    const loggedOutAt = Date.now();
    expect(logout.status).toBe(204);

    await waitFor('the socket to close', async () => client.closedWith, { timeoutMs: 5_000, intervalMs: 20 });
    expect(Date.now() - loggedOutAt).toBeLessThan(2_000);
  });
});
