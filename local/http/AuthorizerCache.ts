/**
 * API Gateway's authorizer result cache: entries keyed by the identity source values, each living
 * `ttlMs` from when it was stored. Size is bounded (expired entries are swept, then the oldest
 * dropped) so a stream of distinct garbage tokens cannot grow it without limit.
 *
 * @example
 * ```ts
 * const cache = new AuthorizerCache<Outcome>(60_000);
 * cache.set('Bearer abc', allow, Date.now());
 * cache.get('Bearer abc', Date.now()); // allow, for 60 s
 * ```
 */
export class AuthorizerCache<T> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { readonly value: T; readonly expiresAt: number }>();

  /** `ttlMs` 0 disables caching: nothing is stored. */
  constructor(ttlMs: number, maxEntries = 10_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, now: number): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#evict(now);
    this.#entries.set(key, { value, expiresAt: now + this.#ttlMs });
  }

  /** Drops every entry (what `ResetAuthorizersCache` does on AWS). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now >= entry.expiresAt) this.#entries.delete(key);
    }
    // Insertion order is expiry order (one TTL for all), so the first key is the oldest.
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}
