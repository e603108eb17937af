import type { UserDirectory } from '../../domain/Connection';
import type { FanoutBatch, FanoutQueue } from '../../domain/ConnectionGateway';
import { gcra, type RateLimit, type RateLimiter } from '../../domain/RateLimiter';

/** A {@link RateLimiter} in memory, on the same GCRA rule as the DynamoDB one, with a settable clock (ms). */
export class InMemoryRateLimiter implements RateLimiter {
  readonly #limit: RateLimit;
  readonly #tats = new Map<string, number>();
  now = 0;

  constructor(limit: RateLimit = { perSecond: 10, burst: 20 }) {
    this.#limit = limit;
  }

  async tryAcquire(key: string): Promise<boolean> {
    const next = gcra(this.#limit, this.#tats.get(key), this.now);
    if (next === undefined) return false;
    this.#tats.set(key, next);
    return true;
  }
}

/** A {@link UserDirectory} in memory. */
export class InMemoryUserDirectory implements UserDirectory {
  readonly names = new Map<string, string>();

  async displayNameOf(userId: string): Promise<string | undefined> {
    return this.names.get(userId);
  }

  async remember(userId: string, displayName: string): Promise<void> {
    this.names.set(userId, displayName);
  }
}

/** A {@link FanoutQueue} that records what it was given. */
export class RecordingFanoutQueue implements FanoutQueue {
  readonly batches: FanoutBatch[] = [];

  async enqueue(batches: readonly FanoutBatch[]): Promise<void> {
    this.batches.push(...batches);
  }
}
