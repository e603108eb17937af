import { appendFile, readFile } from 'node:fs/promises';
import { Ring } from '../Ring';
import type { EventBridgeEvent } from './EventBridgeEvent';
import { isJsonObject } from './EventBridgeEvent';
import { EventArchiveError } from './errors';

/** One archived event: what the bus accepted, on which bus, and when. */
export interface ArchivedEvent {
  readonly busName: string;
  /** When the bus accepted the event (ISO 8601 with milliseconds). */
  readonly archivedAt: string;
  readonly event: EventBridgeEvent;
}

/** Options of {@link EventArchive}. */
export interface EventArchiveOptions {
  /** Also append every event, one JSON object per line, to this file. @default memory only */
  readonly filePath?: string;
  /**
   * Events kept in memory, the newest; older ones are dropped from memory (never from the file).
   * @default {@link DEFAULT_ARCHIVE_CAPACITY}
   */
  readonly capacity?: number;
}

/**
 * Events an archive keeps in memory by default: a long `npm start` under load (a flash sale puts a
 * few thousand events on the bus) must not grow without bound (D70).
 */
export const DEFAULT_ARCHIVE_CAPACITY = 10_000;

/**
 * The bus archive: every accepted event, in acceptance order, kept in memory (the newest
 * `capacity` of them) and optionally appended to a JSON-lines file, so it can be replayed (see
 * `LocalEventBus.replay`).
 *
 * File writes are asynchronous and ordered; `flush()` waits for them and reports a failed write.
 *
 * @example
 * const archive = new EventArchive({ filePath: '.quanta/events.jsonl' });
 * await archive.load(); // events archived by a previous run
 */
export class EventArchive {
  readonly #records: Ring<ArchivedEvent>;
  readonly #filePath: string | undefined;
  #dropped = 0;
  #writes: Promise<void> = Promise.resolve();
  #writeError: EventArchiveError | undefined;

  constructor(options: EventArchiveOptions = {}) {
    this.#filePath = options.filePath;
    this.#records = new Ring(options.capacity ?? DEFAULT_ARCHIVE_CAPACITY);
  }

  /** Number of archived events kept in memory. */
  get size(): number {
    return this.#records.size;
  }

  /** Number of events dropped from memory, oldest first, to stay within the capacity. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Appends an event; the file write, if any, happens in the background. */
  append(busName: string, event: EventBridgeEvent, archivedAt: Date): ArchivedEvent {
    const record: ArchivedEvent = { busName, archivedAt: archivedAt.toISOString(), event };
    if (this.#records.push(record)) this.#dropped++;
    const filePath = this.#filePath;
    if (filePath !== undefined) {
      const line = `${JSON.stringify(record)}\n`;
      this.#writes = this.#writes.then(() =>
        appendFile(filePath, line, 'utf8').catch((error: unknown) => {
          this.#writeError ??= new EventArchiveError(`Could not append to the archive ${filePath}`, {
            cause: error,
          });
        }),
      );
    }
    return record;
  }

  /**
   * The events kept in memory that were accepted between `from` and `to` (both inclusive), oldest
   * first.
   * @param busName only events of this bus. @default every bus
   */
  between(from: Date, to: Date, busName?: string): readonly ArchivedEvent[] {
    const start = from.getTime();
    const end = to.getTime();
    return this.#records.toArray().filter((record) => {
      const at = Date.parse(record.archivedAt);
      return at >= start && at <= end && (busName === undefined || record.busName === busName);
    });
  }

  /**
   * Reads the events a previous run left in the file (a missing file is an empty archive) and puts
   * them before the events archived since. Returns how many were read.
   * @throws {EventArchiveError} when the file exists but cannot be read or parsed.
   */
  async load(): Promise<number> {
    if (this.#filePath === undefined) return 0;
    let text: string;
    try {
      text = await readFile(this.#filePath, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 0;
      throw new EventArchiveError(`Could not read the archive ${this.#filePath}`, { cause: error });
    }
    const loaded: ArchivedEvent[] = [];
    for (const [lineNumber, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        throw new EventArchiveError(`Line ${lineNumber + 1} of the archive ${this.#filePath} is not JSON`, {
          cause: error,
        });
      }
      if (!isArchivedEvent(record)) {
        throw new EventArchiveError(
          `Line ${lineNumber + 1} of the archive ${this.#filePath} is not an archived event`,
        );
      }
      loaded.push(record);
    }
    const since = this.#records.toArray();
    this.#records.clear();
    for (const record of [...loaded, ...since]) if (this.#records.push(record)) this.#dropped++;
    return loaded.length;
  }

  /**
   * Waits for pending file writes.
   * @throws {EventArchiveError} when a write failed (the event is still in memory).
   */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#writeError !== undefined) throw this.#writeError;
  }
}

function isArchivedEvent(value: unknown): value is ArchivedEvent {
  return (
    isJsonObject(value) &&
    typeof value.busName === 'string' &&
    typeof value.archivedAt === 'string' &&
    isJsonObject(value.event) &&
    typeof value.event.id === 'string' &&
    isJsonObject(value.event.detail)
  );
}
