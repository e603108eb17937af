// The page's copy of the latest activity and log lines: loaded once, then kept up to date from the
// console's Server-Sent Events stream; each tab subscribes to what it shows.
import type { ActivityEntry, LogEntry } from './api';
import { api } from './api';

const KEEP = 3000;

/** What a tab hears: rows and lines that just arrived (empty arrays on the first load). */
export type FeedListener = (added: {
  readonly activity: readonly ActivityEntry[];
  readonly logs: readonly LogEntry[];
}) => void;

/**
 * The live feed: `activity` and `logs` hold the newest {@link KEEP} of each, oldest first;
 * `onStatus` reports the stream's state in words.
 *
 * @example
 * ```ts
 * const feed = new LiveFeed((state) => (badge.textContent = state));
 * feed.subscribe(({ activity }) => render(feed.activity));
 * await feed.start();
 * ```
 */
export class LiveFeed {
  activity: ActivityEntry[] = [];
  logs: LogEntry[] = [];
  logsRecorded = true;
  readonly #listeners = new Set<FeedListener>();
  readonly #onStatus: (state: string) => void;

  constructor(onStatus: (state: string) => void) {
    this.#onStatus = onStatus;
  }

  subscribe(listener: FeedListener): void {
    this.#listeners.add(listener);
  }

  async start(): Promise<void> {
    const [activity, logs] = await Promise.all([api.activity(KEEP), api.logs(KEEP)]);
    this.activity = activity.entries;
    this.logs = logs.lines;
    this.logsRecorded = logs.logsRecorded;
    this.#emit({ activity: [], logs: [] });
    const source = new EventSource(`/api/stream?after=${Math.min(activity.lastSeq, logs.lastSeq)}`);
    source.addEventListener('open', () => this.#onStatus('live'));
    source.addEventListener('error', () => this.#onStatus('reconnecting…'));
    source.addEventListener('activity', (event) => {
      const rows = JSON.parse((event as MessageEvent<string>).data) as ActivityEntry[];
      const known = new Set(this.activity.slice(-rows.length * 2).map((r) => r.id));
      const fresh = rows.filter((r) => !known.has(r.id));
      this.activity = [...this.activity, ...fresh].slice(-KEEP);
      this.#emit({ activity: fresh, logs: [] });
    });
    source.addEventListener('logs', (event) => {
      const lines = JSON.parse((event as MessageEvent<string>).data) as LogEntry[];
      const known = new Set(this.logs.slice(-lines.length * 2).map((l) => l.seq));
      const fresh = lines.filter((l) => !known.has(l.seq));
      this.logs = [...this.logs, ...fresh].slice(-KEEP);
      this.#emit({ activity: [], logs: fresh });
    });
  }

  #emit(added: Parameters<FeedListener>[0]): void {
    for (const listener of this.#listeners) listener(added);
  }
}
