import { randomUUID } from 'node:crypto';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { messagePageSchema, roomSchema } from '@quanta/contracts/chat';
import type { TokenPair } from '@quanta/contracts/identity';
import { namesOf } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/LocalCloud';
import { type ChatClient, connectAs, type Frame, ticketFor } from './support/chatClient';
import { CARDS, createProduct, placeOrder } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { signUpAndLogIn, type TestUser } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * Delivery guarantees of chat on the local cloud: `seq` without gaps or duplicates under concurrent
 * senders, exact resync from history after a reconnect, a dead connection (410) pruned without
 * holding up the others, and order updates pushed to their owner. Tickets live their default 60 s.
 */
let target: E2eTarget;
let cloud: LocalCloud;
let api: HttpClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  target = await startE2eTarget();
  if (target.cloud === undefined) throw new Error('chat delivery runs on the local cloud only');
  cloud = target.cloud;
  api = new HttpClient(target.httpUrl);
  dynamodb = new DynamoDBClient({
    endpoint: cloud.urls.dynamodb,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  dynamodb?.destroy();
  await target.stop();
});

async function createRoom(user: TestUser, name: string): Promise<string> {
  const created = await api.call('POST', '/chat/rooms', { token: user.tokens.accessToken, body: { name } });
  expect(created.status).toBe(201);
  return roomSchema.parse(created.body).roomId;
}

async function history(user: TestUser, roomId: string, after: number) {
  const page = await api.call('GET', `/chat/rooms/${roomId}/messages?after=${after}&limit=100`, {
    token: user.tokens.accessToken,
  });
  expect(page.status).toBe(200);
  return messagePageSchema.parse(page.body);
}

/** Items of chat's table in `partition` whose sort key starts with `prefix` (an index by name). */
async function chatItems(
  partition: string,
  prefix: string,
  index?: 'gsi1',
  of: E2eTarget = target,
): Promise<number> {
  const pk = index === undefined ? 'pk' : `${index}pk`;
  const sk = index === undefined ? 'sk' : `${index}sk`;
  const page = await dynamodb.send(
    new QueryCommand({
      TableName: namesOf('chat', of.registry?.prefix ?? '').table,
      ...(index === undefined ? {} : { IndexName: index }),
      KeyConditionExpression: `${pk} = :pk AND begins_with(${sk}, :prefix)`,
      ExpressionAttributeValues: { ':pk': { S: partition }, ':prefix': { S: prefix } },
      ConsistentRead: index === undefined,
    }),
  );
  return page.Count ?? 0;
}

/**
 * Sends every message of `sends` at once and re-sends (same `clientMessageId`, as the contract asks)
 * whatever a `SERVICE_UNAVAILABLE` error left unacknowledged, until each one is acked.
 */
async function sendAllUntilAcked(sends: Array<{ client: ChatClient; frame: Frame }>): Promise<Frame[]> {
  const acked = (s: { client: ChatClient; frame: Frame }) =>
    s.client.all('ack').find((a) => a.clientMessageId === s.frame.clientMessageId);
  for (const { client, frame } of sends) client.send(frame);
  let busy = 0;
  return waitFor(
    'every message to be acked',
    async () => {
      const errors = sends.flatMap((s) => s.client.all('error'));
      expect(errors.filter((e) => e.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
      if (errors.length > busy) {
        busy = errors.length;
        for (const s of sends) if (acked(s) === undefined) s.client.send(s.frame);
      }
      const acks = sends.map(acked);
      return acks.every((a) => a !== undefined) ? (acks as Frame[]) : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
}

describe('chat delivery on the local cloud', () => {
  it('issues tickets valid for the contract’s 60 s', async () => {
    const user = await signUpAndLogIn(api, 'sixty');

    expect((await ticketFor(api, user)).expiresIn).toBe(60);
  });

  // 20 handshakes, 21 joins and 100 sends with 2,100 pushes: far longer than a unit of work on 2 loaded cores.
  it('numbers the messages of 20 concurrent senders 1..N with no gap and no duplicate', {
    timeout: 120_000,
  }, async () => {
    // Two users, ten connections each: a user may hold several connections, and signups cost scrypt.
    const users = await Promise.all([0, 1].map((i) => signUpAndLogIn(api, `sender${i}`)));
    const roomId = await createRoom(users[0] as TestUser, 'busy');
    const senders = await Promise.all(
      Array.from({ length: 20 }, (_, i) => connectAs(api, users[i % users.length] as TestUser)),
    );
    const observer = await connectAs(api, users[0] as TestUser);
    await Promise.all([...senders, observer].map((c) => c.join(roomId)));
    const perSender = 5;

    const sends = senders.flatMap((client, s) =>
      Array.from({ length: perSender }, (_, m) => ({
        client,
        frame: { action: 'send', roomId, text: `s${s} m${m}`, clientMessageId: randomUUID() },
      })),
    );
    const acks = await sendAllUntilAcked(sends);
    const total = sends.length;
    const all = Array.from({ length: total }, (_, i) => i + 1);
    await waitFor('every message at the observer', async () => {
      const seen = new Set(observer.all('message').map((f) => f.seq));
      return seen.size >= total ? true : undefined;
    });
    const stored = await history(users[1] as TestUser, roomId, 0);

    expect(acks.map((a) => a.seq).sort((x, y) => Number(x) - Number(y))).toEqual(all);
    expect(new Set(acks.map((a) => a.messageId)).size).toBe(total);
    const messageIdBySeq = new Map(acks.map((a) => [a.seq, a.messageId]));
    for (const frame of observer.all('message')) expect(frame.messageId).toBe(messageIdBySeq.get(frame.seq));
    expect(stored.items.map((m) => m.seq)).toEqual(all);
    expect(stored.items.map((m) => m.messageId)).toEqual(all.map((seq) => messageIdBySeq.get(seq)));
    await Promise.all([...senders, observer].map((c) => c.close()));
  });

  it('gives a client that reconnects exactly the messages it missed, from history after its last seq', async () => {
    const [alice, bob] = await Promise.all([signUpAndLogIn(api, 'talker'), signUpAndLogIn(api, 'dropper')]);
    const roomId = await createRoom(alice as TestUser, 'resync');
    const a = await connectAs(api, alice as TestUser);
    const b = await connectAs(api, bob as TestUser);
    await Promise.all([a.join(roomId), b.join(roomId)]);
    const say = async (text: string) => {
      const clientMessageId = randomUUID();
      a.send({ action: 'send', roomId, text, clientMessageId });
      return a.next('ack', (f) => f.clientMessageId === clientMessageId);
    };
    await say('before 1');
    await say('before 2');
    const lastSeen = Number((await b.next('message', (f) => f.text === 'before 2')).seq);

    await b.close();
    for (const text of ['missed 1', 'missed 2', 'missed 3']) await say(text);
    const back = await connectAs(api, bob as TestUser);
    const rejoined = await back.join(roomId);
    const missed = await history(bob as TestUser, roomId, lastSeen);

    expect(lastSeen).toBe(2);
    expect(rejoined.lastSeq).toBe(5);
    expect(missed.items.map((m) => [m.seq, m.text])).toEqual([
      [3, 'missed 1'],
      [4, 'missed 2'],
      [5, 'missed 3'],
    ]);
    expect(missed.nextCursor).toBeUndefined();
    await Promise.all([a.close(), back.close()]);
  });

  it('prunes a connection that is gone (410) and still delivers to every other member', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['live1', 'live2', 'ghost'].map((name) => signUpAndLogIn(api, name)),
    );
    const roomId = await createRoom(alice as TestUser, 'ghosts');
    const a = await connectAs(api, alice as TestUser);
    const b = await connectAs(api, bob as TestUser);
    const ghost = await connectAs(api, carol as TestUser);
    await Promise.all([a.join(roomId), b.join(roomId), ghost.join(roomId)]);
    // API Gateway delivers $disconnect on a best-effort basis: here it is lost, so chat still holds
    // the closed connection and learns it is gone only from the @connections API's 410.
    cloud.faults.inject('chat.ws', { mode: 'fail-before' });
    await ghost.close();
    await waitFor('the lost $disconnect', async () =>
      cloud.faults.stats('chat.ws').injected['fail-before'] >= 1 ? true : undefined,
    );
    cloud.faults.clear('chat.ws');
    expect(await chatItems(`ROOM#${roomId}`, 'MEMBER#')).toBe(3);
    expect(await chatItems(`USER#${(carol as TestUser).userId}`, 'CONN#', 'gsi1')).toBe(1);

    const clientMessageId = randomUUID();
    a.send({ action: 'send', roomId, text: 'anyone there?', clientMessageId });
    await Promise.all([a.next('message'), b.next('message')]);

    await waitFor('the gone connection to be pruned', async () =>
      (await chatItems(`ROOM#${roomId}`, 'MEMBER#')) === 2 ? true : undefined,
    );
    expect(await chatItems(`USER#${(carol as TestUser).userId}`, 'CONN#', 'gsi1')).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('pushes an order frame to every open connection of its owner when the order is confirmed or cancelled', async () => {
    const adminLogin = { email: 'admin@quanta.local', password: 'admin password for tests' };
    await api.call('POST', '/identity/signup', { body: { ...adminLogin, displayName: 'Admin' } });
    const admin = await api.call<TokenPair>('POST', '/identity/login', { body: adminLogin });
    const lamp = await createProduct(api, admin.body.accessToken, {
      name: 'Lamp',
      priceCents: 1200,
      stock: 5,
    });
    const [owner, other] = await Promise.all([
      signUpAndLogIn(api, 'buyer'),
      signUpAndLogIn(api, 'bystander'),
    ]);
    const phone = await connectAs(api, owner as TestUser);
    const laptop = await connectAs(api, owner as TestUser);
    const stranger = await connectAs(api, other as TestUser);
    const buy = async (card: { number: string }) => {
      const placed = await placeOrder(api, (owner as TestUser).tokens.accessToken, {
        items: [{ productId: lamp.productId, quantity: 1 }],
        card,
      });
      expect(placed.status).toBe(202);
      return placed.body.orderId;
    };

    const confirmed = await buy(CARDS.authorizes);
    const cancelled = await buy(CARDS.declined);

    for (const device of [phone, laptop]) {
      expect(await device.next('order', (f) => f.orderId === confirmed)).toEqual({
        type: 'order',
        orderId: confirmed,
        status: 'CONFIRMED',
      });
      expect(await device.next('order', (f) => f.orderId === cancelled)).toEqual({
        type: 'order',
        orderId: cancelled,
        status: 'CANCELLED',
        reason: 'PAYMENT_DECLINED',
      });
    }
    expect(stranger.all('order')).toEqual([]);
    await Promise.all([phone.close(), laptop.close(), stranger.close()]);
  });
});

describe('stopping the local cloud with sockets open', () => {
  it('runs every open connection’s $disconnect before it stops the functions', async () => {
    const stopping = await startE2eTarget();
    const local = new HttpClient(stopping.httpUrl);
    const user = await signUpAndLogIn(local, 'stayer');
    const client = await connectAs(local, user);
    expect(await chatItems(`USER#${user.userId}`, 'CONN#', 'gsi1', stopping)).toBe(1);

    await stopping.stop();

    expect(client.closedWith).toBeDefined();
    expect(await chatItems(`USER#${user.userId}`, 'CONN#', 'gsi1', stopping)).toBe(0);
    expect(stopping.reports.filter((r) => r.includes('runtime is stopped'))).toEqual([]);
  });
});
