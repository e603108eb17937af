import type { AttemptClaim, ThrottleStore, WindowCount } from '../../domain/Throttle';

interface Counter {
  hits: number;
  failures: number;
  locks: number;
  lockedUntil: number | undefined;
  /** End of the window, or of the failure memory. */
  expiresAt: number;
}

/** In-memory {@link ThrottleStore} with the DynamoDB store's semantics, for service tests. */
export class InMemoryThrottleStore implements ThrottleStore {
  readonly counters = new Map<string, Counter>();

  async hit(key: string, windowSeconds: number, now: number): Promise<WindowCount> {
    const live = this.#live(key, now);
    if (live !== undefined) {
      live.hits++;
      return { count: live.hits, windowEndsAt: live.expiresAt };
    }
    this.counters.set(key, {
      hits: 1,
      failures: 0,
      locks: 0,
      lockedUntil: undefined,
      expiresAt: now + windowSeconds,
    });
    return { count: 1, windowEndsAt: now + windowSeconds };
  }

  async claimAttempt(
    key: string,
    maxFailures: number,
    now: number,
    forgetAfterSeconds: number,
  ): Promise<AttemptClaim> {
    const live = this.#live(key, now);
    if (live === undefined) {
      this.counters.set(key, {
        hits: 0,
        failures: 1,
        locks: 0,
        lockedUntil: undefined,
        expiresAt: now + forgetAfterSeconds,
      });
      return { granted: true, failures: 1, locks: 0 };
    }
    if (live.lockedUntil !== undefined && live.lockedUntil > now)
      return { granted: false, lockedUntil: live.lockedUntil };
    if (live.failures >= maxFailures) return { granted: false, lockedUntil: undefined };
    live.failures++;
    live.expiresAt = now + forgetAfterSeconds;
    return { granted: true, failures: live.failures, locks: live.locks };
  }

  async lock(
    key: string,
    maxFailures: number,
    until: number,
    now: number,
    forgetAfterSeconds: number,
  ): Promise<boolean> {
    const counter = this.counters.get(key);
    if (counter === undefined || counter.failures < maxFailures) return false;
    counter.lockedUntil = until;
    counter.failures = 0;
    counter.locks++;
    counter.expiresAt = Math.max(until, now + forgetAfterSeconds);
    return true;
  }

  async clear(key: string): Promise<void> {
    const counter = this.counters.get(key);
    if (counter === undefined) return;
    counter.failures = 0;
    counter.locks = 0;
    counter.lockedUntil = undefined;
  }

  #live(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    return counter !== undefined && counter.expiresAt > now ? counter : undefined;
  }
}
