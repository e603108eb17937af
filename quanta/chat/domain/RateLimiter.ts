/** A rate: `perSecond` sustained, in bursts of up to `burst`. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * Port: a token bucket per key (a connection). `tryAcquire` takes one token: `true` if there was
 * one, `false` when the key is over its rate (nothing is taken then).
 */
export interface RateLimiter {
  tryAcquire(key: string): Promise<boolean>;
}

/**
 * One decision of a token bucket, as GCRA (the generic cell rate algorithm): the bucket's whole
 * state is one instant, the theoretical arrival time (`tat`, ms) of the next request at the
 * sustained rate. A request at `now` is allowed while `tat` is at most `burst - 1` intervals ahead
 * of `now`, and moves `tat` one interval further. One number, so a store can apply it with a
 * conditional write instead of a read-modify-write.
 *
 * Returns the new `tat` when the request is allowed, `undefined` when it is over the rate.
 *
 * @example
 * ```ts
 * const limit = { perSecond: 10, burst: 20 };
 * gcra(limit, undefined, 0); // 100: allowed (a fresh bucket is full)
 * gcra(limit, 2000, 0);      // undefined: 20 requests already taken at instant 0
 * ```
 */
export function gcra(limit: RateLimit, tat: number | undefined, now: number): number | undefined {
  const { interval, tolerance } = gcraParameters(limit);
  const start = Math.max(tat ?? now, now);
  return start - now > tolerance ? undefined : start + interval;
}

/** The sustained interval between requests (ms) and how far ahead of now `tat` may run (ms). */
export function gcraParameters(limit: RateLimit): { readonly interval: number; readonly tolerance: number } {
  if (!(limit.perSecond > 0) || !Number.isInteger(limit.burst) || limit.burst < 1) {
    throw new RangeError(
      `A rate limit needs perSecond > 0 and an integer burst >= 1, got ${JSON.stringify(limit)}`,
    );
  }
  const interval = 1000 / limit.perSecond;
  return { interval, tolerance: interval * (limit.burst - 1) };
}
