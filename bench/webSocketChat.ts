import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { accessTokenFor, startLocalCloudProcess } from './httpLatency';
import { emit } from './lib/emit';
import { percentile, round } from './lib/percentile';

type Frame = Record<string, unknown>;

/** How long a bench waits for a frame, or for a message to reach every member, before giving up. */
const FRAME_TIMEOUT_MS = 15_000;

/** How far one message got: how many members have it, and when the first and the last got it. */
interface Arrival {
  readonly received: number;
  /** `performance.now()`, as `lastAt`; undefined if no member got it. */
  readonly firstAt: number | undefined;
  /** Undefined unless every member got it. */
  readonly lastAt: number | undefined;
}

/** A message being delivered: its arrival so far, and what to call when the last member has it. */
interface Delivery {
  readonly expected: number;
  received: number;
  firstAt: number | undefined;
  readonly done: (lastAt: number) => void;
}

/**
 * What every connection of the bench saw: `message` frames by their text, `error` frames by code,
 * and the gateway's own error answers (`{"message":"Internal server error",…}`) by message.
 */
class Tally {
  readonly errors: Record<string, number> = {};
  readonly #deliveries = new Map<string, Delivery>();

  /**
   * Resolves once `expected` connections received the message whose text is `text`, or after
   * {@link FRAME_TIMEOUT_MS} with `lastAt` undefined.
   */
  expect(text: string, expected: number): Promise<Arrival> {
    return new Promise<Arrival>((resolve) => {
      const delivery: Delivery = {
        expected,
        received: 0,
        firstAt: undefined,
        done: (lastAt) => {
          clearTimeout(timer);
          this.#deliveries.delete(text);
          resolve({ received: expected, firstAt: delivery.firstAt, lastAt });
        },
      };
      const timer = setTimeout(() => {
        this.#deliveries.delete(text);
        resolve({ received: delivery.received, firstAt: delivery.firstAt, lastAt: undefined });
      }, FRAME_TIMEOUT_MS);
      this.#deliveries.set(text, delivery);
    });
  }

  /** Counts one frame received by one connection. */
  record(frame: Frame, at: number): void {
    if (frame.type === 'error' || (frame.type === undefined && typeof frame.message === 'string')) {
      const code = frame.type === 'error' ? String(frame.code) : `gateway: ${String(frame.message)}`;
      this.errors[code] = (this.errors[code] ?? 0) + 1;
    } else if (frame.type === 'message') {
      const delivery = this.#deliveries.get(String(frame.text));
      if (delivery === undefined) return;
      delivery.firstAt ??= at;
      if (++delivery.received === delivery.expected) delivery.done(at);
    }
  }
}

/** A frame a connection waits for: the first of `type` that `match`es. */
interface Waiter {
  readonly type: string;
  readonly match: (frame: Frame) => boolean;
  readonly resolve: (frame: Frame) => void;
  readonly reject: (error: Error) => void;
}

/** One chat client connection (the `ws` package, as in test/e2e/chat.local.test.ts). */
class ChatConnection {
  readonly #waiters = new Set<Waiter>();

  private constructor(
    private readonly socket: WebSocket,
    tally: Tally,
  ) {
    socket.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(String(data)) as Frame;
      tally.record(frame, at);
      this.#settle(frame);
    });
  }

  /** Opens a connection to a ticket's `url` and resolves once the handshake is done. */
  static async open(url: string, tally: Tally): Promise<ChatConnection> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
    });
    return new ChatConnection(socket, tally);
  }

  /** Joins `roomId`; resolves with the `joined` frame. */
  join(roomId: string): Promise<Frame> {
    return this.#request({ action: 'join', roomId }, 'joined', (f) => f.roomId === roomId);
  }

  /** Sends `text` to `roomId` (the socket write is the instant measured from); resolves with the `ack`. */
  send(roomId: string, text: string): Promise<Frame> {
    const clientMessageId = randomUUID();
    return this.#request(
      { action: 'send', roomId, text, clientMessageId },
      'ack',
      (f) => f.clientMessageId === clientMessageId,
    );
  }

  /** Closes the socket; resolves once it is closed (or after a second). */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close();
    await Promise.race([closed, sleep(1000)]);
  }

  /** Sends `frame` and waits for the answer; an `error` frame meanwhile rejects it. */
  #request(frame: Frame, type: string, match: (f: Frame) => boolean): Promise<Frame> {
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no '${type}' frame within ${FRAME_TIMEOUT_MS} ms`));
      }, FRAME_TIMEOUT_MS);
      const waiter: Waiter = {
        type,
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#waiters.add(waiter);
      this.socket.send(JSON.stringify(frame));
    });
  }

  #settle(frame: Frame): void {
    for (const waiter of this.#waiters) {
      if (frame.type === 'error') waiter.reject(new Error(`${String(frame.code)}: ${String(frame.message)}`));
      else if (frame.type === waiter.type && waiter.match(frame)) waiter.resolve(frame);
      else continue;
      this.#waiters.delete(waiter);
    }
  }
}

/** POSTs `body` with `token` and returns the JSON answer, or throws unless the status is 201. */
async function create(url: string, path: string, token: string, body?: unknown): Promise<Frame> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Frame;
}

/** Issues a ticket for `token` and opens a connection with it; resolves with both durations. */
async function connect(url: string, token: string, tally: Tally) {
  const started = performance.now();
  const { url: ticketUrl } = await create(url, '/realtime/tickets', token);
  const ticketed = performance.now();
  const connection = await ChatConnection.open(String(ticketUrl), tally);
  const open = performance.now();
  return { connection, ticketMs: ticketed - started, handshakeMs: open - ticketed, totalMs: open - started };
}

/** Runs `work(i)` for every i in [0, count), at most `concurrency` at once. */
async function forEachConcurrently(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** p50 / p99 / max of `values` (ms, rounded), named `<prefix>p50_ms` and so on. */
function summary(values: readonly number[], prefix = ''): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    [`${prefix}p50_ms`]: round(percentile(sorted, 50), 1),
    [`${prefix}p99_ms`]: round(percentile(sorted, 99), 1),
    [`${prefix}max_ms`]: round(sorted.at(-1) ?? Number.NaN, 1),
  };
}

/** A new room whose members are `members`, every one of them joined. */
async function roomOf(url: string, token: string, name: string, members: readonly ChatConnection[]) {
  const { roomId } = await create(url, '/chat/rooms', token, { name });
  await forEachConcurrently(members.length, 16, (i) => (members[i] as ChatConnection).join(String(roomId)));
  return String(roomId);
}

/** Ticket + handshake until `open`, one connection at a time (each closed after). */
async function measureConnect(url: string, token: string, tally: Tally, samples: number, warmups: number) {
  const runs: Array<{ ticketMs: number; handshakeMs: number; totalMs: number }> = [];
  for (let i = 0; i < warmups + samples; i++) {
    const { connection, ...timing } = await connect(url, token, tally);
    await connection.close();
    if (i >= warmups) runs.push(timing);
  }
  emit({
    bench: 'websocket_connect',
    note: 'POST /realtime/tickets + handshake until open, sequential',
    samples: runs.length,
    ...summary(runs.map((r) => r.totalMs)),
    ...summary(
      runs.map((r) => r.ticketMs),
      'ticket_',
    ),
    ...summary(
      runs.map((r) => r.handshakeMs),
      'handshake_',
    ),
  });
}

/** One message followed from the sender's socket write: its ack, and its arrival at every member. */
interface Followed {
  /** Milliseconds to the ack; undefined if an `error` frame (counted by the tally) came instead. */
  readonly ackMs: Promise<number | undefined>;
  /** Its arrival, and milliseconds to the first and to the last member's `message` frame. */
  readonly delivery: Promise<Arrival & { firstMs: number | undefined; ms: number | undefined }>;
}

/** Sends a message from `sender` to a room of `members` connections and follows it. */
function sendAndFollow(sender: ChatConnection, roomId: string, members: number, tally: Tally): Followed {
  const text = `bench ${randomUUID()}`;
  const delivered = tally.expect(text, members);
  const sentAt = performance.now();
  const ackMs = sender.send(roomId, text).then(
    () => performance.now() - sentAt,
    () => undefined,
  );
  const delivery = delivered.then((arrival) => ({
    ...arrival,
    firstMs: arrival.firstAt === undefined ? undefined : arrival.firstAt - sentAt,
    ms: arrival.lastAt === undefined ? undefined : arrival.lastAt - sentAt,
  }));
  return { ackMs, delivery };
}

/** Send -> the last member's `message` frame, one message at a time, the members taking turns. */
async function measureFanout(
  url: string,
  token: string,
  tally: Tally,
  members: readonly ChatConnection[],
  options: { samples: number; warmups: number; gapMs: number; targetP99Ms?: number },
) {
  const roomId = await roomOf(url, token, `fanout-${members.length}`, members);
  const errorsBefore = { ...tally.errors };
  const outcomes: Array<Awaited<Followed['delivery']>> = [];
  for (let i = 0; i < options.warmups + options.samples; i++) {
    const followed = sendAndFollow(
      members[i % members.length] as ChatConnection,
      roomId,
      members.length,
      tally,
    );
    const [delivery] = await Promise.all([followed.delivery, followed.ackMs]);
    if (i >= options.warmups) outcomes.push(delivery);
    await sleep(options.gapMs);
  }
  const latencies = outcomes.flatMap((o) => (o.ms === undefined ? [] : [o.ms]));
  const firsts = outcomes.flatMap((o) => (o.firstMs === undefined ? [] : [o.firstMs]));
  const incomplete = outcomes.length - latencies.length;
  const stats = summary(latencies);
  emit({
    bench: 'websocket_fanout',
    note: 'send -> message frame at the last member (first_member_: at the first), sequential',
    members: members.length,
    samples: latencies.length,
    ...stats,
    ...summary(firsts, 'first_member_'),
    incomplete,
    missing_frames: outcomes.reduce((n, o) => n + members.length - o.received, 0),
    errors: errorsSince(tally, errorsBefore),
    ...(options.targetP99Ms === undefined
      ? {}
      : {
          target_p99_ms: options.targetP99Ms,
          met: incomplete === 0 && (stats.p99_ms ?? Number.POSITIVE_INFINITY) <= options.targetP99Ms,
        }),
  });
}

/** The `error` frames counted since `before` (a copy of `tally.errors`), by code. */
function errorsSince(tally: Tally, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(tally.errors)
      .map(([code, n]) => [code, n - (before[code] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

/**
 * `senders` of the room's members each send one message after the other (waiting for its ack), at
 * most `perSenderPerSecond` a second, for `durationMs`; then waits for the deliveries.
 */
async function measureSustained(
  url: string,
  token: string,
  tally: Tally,
  members: readonly ChatConnection[],
  options: { senders: number; perSenderPerSecond: number; durationMs: number },
) {
  const roomId = await roomOf(url, token, 'sustained', members);
  const errorsBefore = { ...tally.errors };
  const sent: Followed[] = [];
  const intervalMs = 1000 / options.perSenderPerSecond;
  const started = performance.now();
  const ends = started + options.durationMs;
  await forEachConcurrently(options.senders, options.senders, async (s) => {
    while (performance.now() < ends) {
      const sentAt = performance.now();
      const followed = sendAndFollow(members[s] as ChatConnection, roomId, members.length, tally);
      sent.push(followed);
      await followed.ackMs;
      await sleep(Math.max(0, sentAt + intervalMs - performance.now()));
    }
  });
  const sendingMs = performance.now() - started;
  const acks = (await Promise.all(sent.map((f) => f.ackMs))).filter((ms) => ms !== undefined);
  const deliveries = await Promise.all(sent.map((f) => f.delivery));
  const complete = deliveries.filter((d) => d.lastAt !== undefined);
  const lastAt = Math.max(...complete.map((d) => d.lastAt as number));
  const errors = errorsSince(tally, errorsBefore);
  emit({
    bench: 'websocket_sustained',
    members: members.length,
    senders: options.senders,
    per_sender_max_per_s: options.perSenderPerSecond,
    offered_per_s: options.senders * options.perSenderPerSecond,
    duration_ms: round(sendingMs, 0),
    sent: sent.length,
    acked: acks.length,
    delivered_to_all: complete.length,
    frames_delivered: deliveries.reduce((n, d) => n + d.received, 0),
    acked_per_s: round((acks.length / sendingMs) * 1000, 1),
    delivered_to_all_per_s: round((complete.length / (lastAt - started)) * 1000, 1),
    ...summary(acks, 'ack_'),
    ...summary(
      complete.map((d) => d.ms as number),
      'delivery_',
    ),
    rate_limited: errors.RATE_LIMITED ?? 0,
    errors,
  });
}

/**
 * Closes every connection, then waits for the gateway's `$disconnect` invocations to run: a new
 * connection's `$connect` and a frame queue behind them in chat's `ws` function. (Stopping the cloud
 * before they ran fails each one: its Lambda runtime stops before its WebSocket gateway.)
 */
async function closeAll(pool: readonly ChatConnection[], url: string, token: string): Promise<void> {
  await Promise.all(pool.map((c) => c.close()));
  try {
    const { connection: probe } = await connect(url, token, new Tally());
    await probe.join('drain').catch(() => undefined);
    await probe.close();
  } catch {
    // The cloud is failing already; its stderr tells why.
  }
}

/**
 * Chat over the local cloud's WebSocket API (`npm start` in a child process, its own ports), with
 * `users` users sharing the connections (signing up runs scrypt, so few users, many tickets each):
 * - websocket_connect: POST /realtime/tickets + handshake until `open`, sequential.
 * - websocket_fanout: send -> the `message` frame at the last of N members, for each room size in
 *   `roomSizes` (one line each; the largest carries `target_p99_ms` and `met`).
 * - websocket_sustained: `senders` of a 20-member room sending at most 8 messages/s each (the limit
 *   is 10/s per connection) for `durationMs`: sent, acked, delivered to all, per second, errors.
 *
 * @example
 * ```ts
 * await webSocketChat({ root: '/path/to/quanta', roomSizes: [10, 100, 500], durationMs: 10_000 });
 * ```
 */
export async function webSocketChat(options: {
  root: string;
  roomSizes?: readonly number[];
  fanoutSamples?: number;
  connectSamples?: number;
  durationMs?: number;
  users?: number;
  senders?: number;
  targetP99Ms?: number;
}): Promise<void> {
  const roomSizes = options.roomSizes ?? [10, 100, 500];
  const largest = Math.max(...roomSizes);
  const { server, url } = await startLocalCloudProcess(options.root);
  const outputAtReady = server.output.length;
  const tally = new Tally();
  const pool: ChatConnection[] = [];
  const tokens: string[] = [];
  const tokenOf = (i: number): string => tokens[i % tokens.length] ?? '';
  try {
    // Two at a time: each signup and login is ~0.85 s of scrypt, and identity's api times out at 10 s.
    await forEachConcurrently(options.users ?? 6, 2, async (i) => {
      tokens.push((await accessTokenFor(url, `chat${i}`)).accessToken);
    });
    await measureConnect(url, tokenOf(0), tally, options.connectSamples ?? 50, 5);
    await forEachConcurrently(Math.max(largest, 20), 8, async (i) => {
      pool.push((await connect(url, tokenOf(i), tally)).connection);
    });
    for (const size of roomSizes) {
      await measureFanout(url, tokenOf(0), tally, pool.slice(0, size), {
        samples: options.fanoutSamples ?? 30,
        warmups: 3,
        gapMs: 50,
        ...(size === largest ? { targetP99Ms: options.targetP99Ms ?? 1000 } : {}),
      });
    }
    await measureSustained(url, tokenOf(0), tally, pool.slice(0, 20), {
      senders: options.senders ?? 10,
      perSenderPerSecond: 8,
      durationMs: options.durationMs ?? 10_000,
    });
  } finally {
    await closeAll(pool, url, tokenOf(0));
    await server.stop();
    emitCloudStderr(server.output.slice(outputAtReady));
  }
}

/**
 * What the cloud wrote to stderr while the bench ran (gateway and function errors; none expected):
 * the line count and each kind of line (ids and numbers elided) with its count.
 */
function emitCloudStderr(stderr: string): void {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const kinds: Record<string, number> = {};
  for (const line of lines) {
    const kind = line.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[\d:.TZ-]{6,}|\d+/gi, '#').slice(0, 200);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  emit({ bench: 'websocket_cloud_stderr', lines: lines.length, kinds });
}
