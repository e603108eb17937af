import type { Message } from '@quanta/contracts/chat';

/** The history request that fills a hole: the messages with `seq > after`, at most `limit`. */
export interface HistoryRange {
  readonly after: number;
  readonly limit: number;
}

/**
 * One room's messages as the client holds them, ordered by `seq`. Frames may arrive out of order or
 * twice, and a dropped connection misses some (chat's README, decision 8): a `seq` already held is
 * dropped, and everything above the last unbroken `seq` is a gap that {@link RoomTimeline.missing}
 * asks the history for. The timeline holds a window `(floor, …]` of the room: it starts at the newest
 * messages and grows downwards as the person scrolls up ({@link RoomTimeline.older}).
 *
 * @example
 * ```ts
 * const timeline = new RoomTimeline();
 * timeline.anchor(lastSeq, 50);            // after `joined`: show the last 50
 * timeline.add(page.items);                // history and live frames alike
 * const hole = timeline.missing(100);      // { after, limit } while something is missing
 * ```
 */
export class RoomTimeline {
  readonly #bySeq = new Map<number, Message>();
  /** Every message with `floor < seq <= top` is held. */
  #floor: number | undefined;
  #top = 0;
  /** The highest `seq` known to exist (from frames or `joined`). */
  #known = 0;

  /** Whether the window has been placed ({@link RoomTimeline.anchor}). */
  get anchored(): boolean {
    return this.#floor !== undefined;
  }

  /** The last `seq` held with nothing missing below it (down to the window's floor). */
  get lastSeq(): number {
    return this.#top;
  }

  /** The messages held, ascending by `seq`. */
  get messages(): Message[] {
    return [...this.#bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Whether messages older than the window exist. */
  get hasOlder(): boolean {
    return (this.#floor ?? 0) > 0;
  }

  /**
   * Places the window on a room whose last message is `lastSeq` (from a `joined` frame): the newest
   * `size` messages. Once placed, later calls only raise what is known to exist (a rejoin).
   */
  anchor(lastSeq: number, size: number): void {
    this.#known = Math.max(this.#known, lastSeq);
    if (this.#floor !== undefined) return;
    this.#floor = Math.max(0, lastSeq - size);
    this.#top = this.#floor;
    for (const seq of [...this.#bySeq.keys()]) if (seq <= this.#floor) this.#bySeq.delete(seq);
    this.#extend();
  }

  /** Adds messages (history pages and live frames); returns those that were new, ascending. */
  add(messages: readonly Message[]): Message[] {
    const added: Message[] = [];
    for (const message of messages) {
      this.#known = Math.max(this.#known, message.seq);
      if (this.#floor !== undefined && message.seq <= this.#floor) continue;
      if (this.#bySeq.has(message.seq)) continue;
      this.#bySeq.set(message.seq, message);
      added.push(message);
    }
    this.#extend();
    return added.sort((a, b) => a.seq - b.seq);
  }

  /** The history to read so that nothing is missing up to the newest known `seq`, or undefined. */
  missing(pageSize: number): HistoryRange | undefined {
    if (this.#floor === undefined || this.#known <= this.#top) return undefined;
    return { after: this.#top, limit: Math.min(pageSize, this.#known - this.#top) };
  }

  /**
   * The history page just below the window (the person scrolled to the top), or undefined at the
   * room's first message. Call {@link RoomTimeline.addOlder} with its answer.
   */
  older(pageSize: number): HistoryRange | undefined {
    const floor = this.#floor ?? 0;
    if (floor === 0) return undefined;
    const after = Math.max(0, floor - pageSize);
    return { after, limit: floor - after };
  }

  /** Adds the answer to {@link RoomTimeline.older}, lowering the window's floor to `range.after`. */
  addOlder(range: HistoryRange, messages: readonly Message[]): Message[] {
    const inRange = messages.filter((m) => m.seq > range.after && m.seq <= range.after + range.limit);
    const added = inRange.filter((m) => !this.#bySeq.has(m.seq));
    for (const message of added) this.#bySeq.set(message.seq, message);
    if (this.#floor !== undefined && inRange.length === range.limit) this.#floor = range.after;
    return added.sort((a, b) => a.seq - b.seq);
  }

  #extend(): void {
    while (this.#bySeq.has(this.#top + 1)) this.#top++;
  }
}
