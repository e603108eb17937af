import {
  type ChatErrorCode,
  CLIENT_ACTIONS,
  type ClientFrame,
  clientFrameSchema,
  type ErrorFrame,
  type OrderFrame,
  type ServerFrame,
} from '@quanta/contracts/chat';
import type { CancellationReason } from '@quanta/contracts/orders';
import { QuantaError } from '@quanta/runtime/errors';
import type { Caller, Connection, UserDirectory } from '../domain/Connection';
import type { ConnectionGateway } from '../domain/ConnectionGateway';
import type { ConnectionRepository } from '../domain/ConnectionRepository';
import type { Message } from '../domain/MessageLog';
import type { RateLimiter } from '../domain/RateLimiter';
import { UnknownConnectionError } from '../errors';
import { type Broadcaster, type ChatLog, type DeliveryReport, describe, silentChatLog } from './Broadcaster';
import { type ChatService, messageViewOf, type RequestOrigin } from './ChatService';
import { inParallel } from './inParallel';

/** Dependencies and settings of {@link ChatSocket}. */
export interface ChatSocketOptions {
  readonly chat: ChatService;
  readonly connections: ConnectionRepository;
  readonly gateway: ConnectionGateway;
  readonly broadcaster: Broadcaster;
  /** Frames each connection may send (every frame counts, valid or not). */
  readonly rateLimiter: RateLimiter;
  readonly users: UserDirectory;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Connections closed at once on a logout. @default 20 */
  readonly concurrency?: number;
  readonly log?: ChatLog;
}

/** A change of one of a user's orders, as orders' `OrderConfirmed` / `OrderCancelled` tell it. */
export interface OrderUpdate {
  readonly orderId: string;
  readonly userId: string;
  readonly status: 'CONFIRMED' | 'CANCELLED';
  readonly reason?: CancellationReason;
}

/**
 * chat's WebSocket protocol, whatever carries it: a connection's life (`$connect`, `$disconnect`),
 * its client frames (parsed, rate limited, answered), and what the server pushes on its own (order
 * updates, closing a logged-out session's connections). Every answer goes through the
 * {@link ConnectionGateway} (`@connections`), never as a route response, so AWS and the local cloud
 * behave the same; a refused frame is answered with an `error` frame and the connection stays open.
 *
 * @example
 * ```ts
 * const socket = new ChatSocket({ chat, connections, gateway, broadcaster, rateLimiter, users });
 * await socket.connect('Abc=', { userId: 'u-1', sessionId: 's-1', roles: [] });
 * await socket.receive('Abc=', '{"action":"join","roomId":"r-1"}', { correlationId: 'req-1' }); // pushes `joined`
 * ```
 */
export class ChatSocket {
  readonly #o: Required<ChatSocketOptions>;

  constructor(options: ChatSocketOptions) {
    this.#o = { now: () => new Date(), concurrency: 20, log: silentChatLog, ...options };
  }

  /**
   * Records a new connection of `caller`. Its display name is the one the platform passed, else
   * chat's copy from `UserRegistered`, else one made from the user id (see {@link fallbackDisplayName}).
   * Nothing can be pushed to a connection before `$connect` returns, so nothing is.
   */
  async connect(connectionId: string, caller: Caller): Promise<Connection> {
    const connection: Connection = {
      connectionId,
      userId: caller.userId,
      sessionId: caller.sessionId,
      displayName: await this.#displayNameOf(caller),
      connectedAt: this.#o.now().toISOString(),
      rooms: [],
    };
    await this.#o.connections.save(connection);
    return connection;
  }

  /** Forgets a closed connection and its memberships (idempotent). */
  async disconnect(connectionId: string): Promise<void> {
    await this.#o.connections.remove(connectionId);
  }

  /**
   * Handles one client frame (`body`, the raw text) on `connectionId` and pushes the answers:
   * `joined`, `left`, or `ack` then the `message` to the whole room (the sender included); an
   * `error` frame for anything refused. Never throws for a bad frame.
   */
  async receive(connectionId: string, body: string | undefined, origin: RequestOrigin): Promise<void> {
    let frame: ClientFrame | ErrorFrame | undefined;
    try {
      if (!(await this.#o.rateLimiter.tryAcquire(connectionId))) {
        frame = errorFrame('RATE_LIMITED', 'Too many frames on this connection; slow down');
      } else {
        frame = parseClientFrame(body);
      }
      if ('type' in frame) return await this.#push(connectionId, frame);
      await this.#handle(connectionId, frame, origin);
    } catch (error) {
      await this.#push(connectionId, this.#errorFrameOf(error, connectionId, frame));
    }
  }

  /** Pushes an `order` frame to every open connection of the order's owner. */
  async orderChanged(update: OrderUpdate): Promise<DeliveryReport> {
    const frame: OrderFrame = {
      type: 'order',
      orderId: update.orderId,
      status: update.status,
      ...(update.reason === undefined ? {} : { reason: update.reason }),
    };
    return this.#o.broadcaster.toUser(update.userId, frame);
  }

  /**
   * Closes every connection opened with a ticket of `sessionId` (a logout) and forgets them. Rejects
   * if any could not be closed, so the triggering event is retried (closing again is harmless).
   *
   * @returns how many connections were closed or already gone
   */
  async closeSession(sessionId: string): Promise<number> {
    const ids = await this.#o.connections.bySession(sessionId);
    const results = await inParallel(ids, this.#o.concurrency, async (connectionId) => {
      await this.#o.gateway.close(connectionId);
      // Do not wait for $disconnect: a broadcast in between would still push to it.
      await this.#o.connections.remove(connectionId);
    });
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ id: ids[i], r }] : []));
    if (failed.length > 0) {
      const first = failed[0]?.r as PromiseRejectedResult;
      throw new Error(
        `${failed.length} of ${ids.length} connections of session ${sessionId} were not closed; first (${failed[0]?.id}): ${String((first.reason as Error)?.message ?? first.reason)}`,
        { cause: first.reason },
      );
    }
    return ids.length;
  }

  async #handle(connectionId: string, frame: ClientFrame, origin: RequestOrigin): Promise<void> {
    const connection = await this.#o.connections.get(connectionId);
    if (connection === undefined) throw new UnknownConnectionError(connectionId);
    const { chat } = this.#o;
    switch (frame.action) {
      case 'join': {
        const { lastSeq } = await chat.join(connection, frame.roomId);
        return this.#push(connectionId, { type: 'joined', roomId: frame.roomId, lastSeq });
      }
      case 'leave':
        await chat.leave(connection, frame.roomId);
        return this.#push(connectionId, { type: 'left', roomId: frame.roomId });
      case 'send': {
        const outcome = await chat.send(connection, frame, origin);
        const stored = outcome.kind === 'STORED' ? outcome.message : outcome;
        // The ack first, so the sender learns its seq before (or with) its own message frame.
        await this.#push(connectionId, {
          type: 'ack',
          clientMessageId: frame.clientMessageId,
          messageId: stored.messageId,
          seq: stored.seq,
        });
        if (outcome.kind === 'STORED') await this.#broadcast(outcome.message);
        return;
      }
    }
  }

  /**
   * Pushes a stored message to its room. It is stored and acknowledged already, so a failure here is
   * logged and not answered with an `error` frame: members that missed it see the gap in `seq` at the
   * next message and read the history.
   */
  async #broadcast(message: Message): Promise<void> {
    const { log } = this.#o;
    try {
      const report = await this.#o.broadcaster.toRoom(message.roomId, {
        type: 'message',
        ...messageViewOf(message),
      });
      if (report.failed > 0) {
        log.warn('Message stored but not pushed to every member', {
          roomId: message.roomId,
          seq: message.seq,
          ...report,
        });
      }
    } catch (error) {
      log.error('Message stored but not broadcast', {
        roomId: message.roomId,
        seq: message.seq,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
    }
  }

  /** Pushes one frame to the connection the frame came from; a closed one is forgotten, a failure logged. */
  async #push(connectionId: string, frame: ServerFrame): Promise<void> {
    try {
      if ((await this.#o.gateway.post(connectionId, frame)) === 'GONE') {
        await this.#o.broadcaster.forget(connectionId);
      }
    } catch (error) {
      this.#o.log.warn('Reply not delivered', {
        connectionId,
        frameType: frame.type,
        error: describe(error),
      });
    }
  }

  /** The `error` frame for a refused frame: the error's code and message below 500, generic otherwise. */
  #errorFrameOf(
    error: unknown,
    connectionId: string,
    frame: ClientFrame | ErrorFrame | undefined,
  ): ErrorFrame {
    if (error instanceof QuantaError && error.status < 500) return errorFrame(error.code, error.message);
    const action = frame !== undefined && 'action' in frame ? frame.action : undefined;
    if (error instanceof QuantaError && error.status === 503) {
      this.#o.log.warn('Frame refused: busy', { connectionId, action, error: describe(error) });
      return errorFrame(error.code, 'The service is busy; try again in a moment');
    }
    this.#o.log.error('Frame failed', {
      connectionId,
      action,
      error:
        error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
    });
    return errorFrame('INTERNAL_ERROR', 'Something went wrong on the server');
  }

  async #displayNameOf(caller: Caller): Promise<string> {
    const given = caller.displayName?.trim();
    if (given !== undefined && given !== '') return given;
    try {
      return (await this.#o.users.displayNameOf(caller.userId)) ?? fallbackDisplayName(caller.userId);
    } catch (error) {
      // A name is not worth refusing the connection for.
      this.#o.log.warn('Display name lookup failed; using the fallback', {
        userId: caller.userId,
        error: describe(error),
      });
      return fallbackDisplayName(caller.userId);
    }
  }
}

/**
 * Reads one client frame from its raw text: a {@link ClientFrame}, or the `error` frame that answers
 * it — `INVALID_JSON`, `UNKNOWN_ACTION` (no `action`, or not `join`/`leave`/`send`), `MESSAGE_TOO_LONG`,
 * or `VALIDATION_FAILED` naming each bad field.
 *
 * @example
 * ```ts
 * parseClientFrame('{"action":"join","roomId":"r-1"}'); // { action: 'join', roomId: 'r-1' }
 * parseClientFrame('{"action":"dance"}'); // { type: 'error', code: 'UNKNOWN_ACTION', message: … }
 * ```
 */
export function parseClientFrame(body: string | undefined): ClientFrame | ErrorFrame {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return errorFrame('INVALID_JSON', 'A frame must be a JSON object such as {"action":"join","roomId":"…"}');
  }
  const action =
    typeof json === 'object' && json !== null ? (json as { action?: unknown }).action : undefined;
  if (typeof action !== 'string' || !(CLIENT_ACTIONS as readonly string[]).includes(action)) {
    const shown = action === undefined ? 'no action' : `action ${JSON.stringify(action).slice(0, 40)}`;
    return errorFrame(
      'UNKNOWN_ACTION',
      `Unknown frame (${shown}); the actions are ${CLIENT_ACTIONS.join(', ')}`,
    );
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const tooLong = issues.find((i) => i.path[0] === 'text' && i.code === 'too_big');
  if (tooLong !== undefined) return errorFrame('MESSAGE_TOO_LONG', `text ${tooLong.message}`);
  const summary = issues.map((i) => `${i.path.map(String).join('.') || '(frame)'}: ${i.message}`).join('; ');
  return errorFrame('VALIDATION_FAILED', `Invalid ${action} frame: ${summary}`);
}

/**
 * The display name of a user chat has no name for (registered before chat subscribed to
 * `UserRegistered`): `user-` and the first 8 characters of the id.
 */
export function fallbackDisplayName(userId: string): string {
  return `user-${userId.slice(0, 8)}`;
}

function errorFrame(code: ChatErrorCode | (string & {}), message: string): ErrorFrame {
  return { type: 'error', code, message };
}
