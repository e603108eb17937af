import type { ServerFrame } from '@quanta/contracts/chat';
import type { ConnectionGateway, FanoutBatch, FanoutQueue } from '../domain/ConnectionGateway';
import type { ConnectionRepository } from '../domain/ConnectionRepository';
import { inParallel } from './inParallel';

/** Where chat's services report what happened (the Powertools logger satisfies it). Never given message text. */
export interface ChatLog {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** A {@link ChatLog} that drops everything (the default). */
export const silentChatLog: ChatLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** What happened to one broadcast. */
export interface DeliveryReport {
  /** Connections the frame was pushed to. */
  readonly delivered: number;
  /** Connections found closed (410), and forgotten. */
  readonly gone: number;
  /** Connections the push failed for otherwise (logged; the client catches up from the history). */
  readonly failed: number;
  /** Connections handed to the work queue (a broadcast above the threshold), in `batches` batches. */
  readonly queued: number;
  readonly batches: number;
}

/** Dependencies and settings of {@link Broadcaster}. */
export interface BroadcasterOptions {
  readonly gateway: ConnectionGateway;
  readonly connections: ConnectionRepository;
  /** The work queue for large rooms. @default none: every broadcast is delivered in this invocation */
  readonly fanout?: FanoutQueue;
  /** Pushes in flight at once. @default 20 */
  readonly concurrency?: number;
  /** A room with more members than this is broadcast through the work queue. @default 100 */
  readonly fanoutThreshold?: number;
  /** Connections per queued batch (one `fanout` invocation pushes one batch per record). @default 100 */
  readonly batchSize?: number;
  readonly log?: ChatLog;
}

/**
 * Pushes server frames to connections through the {@link ConnectionGateway}: at most `concurrency`
 * at once, a closed connection (410) is forgotten (with its memberships) and never holds up the
 * others, and a failed push is logged and counted, never thrown. A room with more than
 * `fanoutThreshold` members is split into batches of `batchSize` sent to the quantum's work queue,
 * each delivered by an invocation of the `fanout` function, so a large room does not make the
 * sender wait for thousands of pushes.
 *
 * @example
 * ```ts
 * const broadcaster = new Broadcaster({ gateway, connections, fanout });
 * await broadcaster.toRoom('r-1', { type: 'message', ...message });
 * ```
 */
export class Broadcaster {
  readonly #o: Required<Omit<BroadcasterOptions, 'fanout'>> & Pick<BroadcasterOptions, 'fanout'>;

  constructor(options: BroadcasterOptions) {
    this.#o = { concurrency: 20, fanoutThreshold: 100, batchSize: 100, log: silentChatLog, ...options };
  }

  /** Pushes `frame` to every connection that joined `roomId`. */
  async toRoom(roomId: string, frame: ServerFrame): Promise<DeliveryReport> {
    const members = await this.#o.connections.members(roomId);
    const { fanout, fanoutThreshold, batchSize } = this.#o;
    if (fanout === undefined || members.length <= fanoutThreshold) return this.deliver(members, frame);
    const batches: FanoutBatch[] = [];
    for (let i = 0; i < members.length; i += batchSize) {
      batches.push({ frame, connectionIds: members.slice(i, i + batchSize) });
    }
    await fanout.enqueue(batches);
    this.#o.log.info('Broadcast handed to the fan-out queue', {
      roomId,
      recipients: members.length,
      batches: batches.length,
    });
    return { delivered: 0, gone: 0, failed: 0, queued: members.length, batches: batches.length };
  }

  /** Pushes `frame` to every open connection of `userId`. */
  async toUser(userId: string, frame: ServerFrame): Promise<DeliveryReport> {
    return this.deliver(await this.#o.connections.byUser(userId), frame);
  }

  /** Pushes `frame` to each of `connectionIds` (each once), `concurrency` at a time. */
  async deliver(connectionIds: readonly string[], frame: ServerFrame): Promise<DeliveryReport> {
    const ids = [...new Set(connectionIds)];
    const outcomes = await inParallel(ids, this.#o.concurrency, async (connectionId) => {
      const outcome = await this.#o.gateway.post(connectionId, frame);
      if (outcome === 'GONE') {
        // Its memberships would keep it in every broadcast until they expire; a failure here only costs that.
        await this.forget(connectionId).catch((error: unknown) =>
          this.#o.log.warn('Closed connection not forgotten', { connectionId, error: describe(error) }),
        );
      }
      return outcome;
    });
    let delivered = 0;
    let gone = 0;
    let failed = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') {
        failed++;
        this.#o.log.warn('Frame not delivered', {
          connectionId: ids[i],
          frameType: frame.type,
          error: describe(outcome.reason),
        });
      } else if (outcome.value === 'GONE') gone++;
      else delivered++;
    });
    return { delivered, gone, failed, queued: 0, batches: 0 };
  }

  /** Forgets a connection found closed, with its memberships, so no broadcast tries it again. */
  async forget(connectionId: string): Promise<void> {
    await this.#o.connections.remove(connectionId);
  }
}

/** An error as a log attribute (name and message; no stack for expected delivery failures). */
export function describe(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message } : { value: String(error) };
}
