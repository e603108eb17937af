import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import type { AuthorizerEventV2, LambdaAuthorizerContext } from './httpApiEvents';
import { parseSimpleResponse } from './httpApiEvents';
import { DEADLINE_PASSED, invokeWithDeadline } from './invokeWithDeadline';

/** The authorizer's verdict on a request. */
export type AuthorizationOutcome =
  /** Invoke the route's function with this `requestContext.authorizer`. */
  | { readonly kind: 'allow'; readonly authorizer: LambdaAuthorizerContext }
  /** `isAuthorized: false`: 403. */
  | { readonly kind: 'deny' }
  /** The authorizer errored, timed out or answered malformed: 500. Never cached. */
  | { readonly kind: 'failed'; readonly reason: string };

/** Settings of the platform's Lambda authorizer. */
export interface LambdaAuthorizerOptions {
  readonly invoker: FunctionInvoker;
  /** Function id of the authorizer, `platform.authorizer`. */
  readonly functionId: string;
  /** Result cache TTL in seconds; 0 disables caching. */
  readonly resultTtlSeconds: number;
  /** How long API Gateway waits for the authorizer (10 s on AWS). */
  readonly timeoutMs: number;
  /** Clock in epoch milliseconds. */
  readonly now: () => number;
}

/**
 * A REQUEST Lambda authorizer with payload format 2.0 and simple responses, as API Gateway HTTP
 * APIs run it: identity source `$request.header.Authorization`; results (allow and deny alike)
 * cached per API, keyed by the identity source values, for the TTL; errors never cached.
 *
 * With caching on, concurrent cache misses for the same identity source share one invocation
 * (single flight): the verdict is per identity source anyway, and a burst of one client's requests
 * would otherwise invoke the authorizer once per request until the first answer is cached. Waiters
 * share that invocation's outcome, a failure included. With caching off (TTL 0) every request
 * invokes the authorizer, as on AWS, because its verdict may then depend on more than the token.
 *
 * @example
 * ```ts
 * const authorizer = new LambdaAuthorizer({ invoker, functionId: 'platform.authorizer', resultTtlSeconds: 60, timeoutMs: 10_000, now: Date.now });
 * const identity = authorizer.identitySourceOf(request.headers); // undefined -> 401, authorizer not called
 * const outcome = authorizer.cached(identity) ?? (await authorizer.authorize(identity, event));
 * ```
 */
export class LambdaAuthorizer {
  readonly #options: LambdaAuthorizerOptions;
  readonly #cache: AuthorizerCache<AuthorizationOutcome>;
  /** Invocations under way, by cache key (only while caching is on). */
  readonly #inFlight = new Map<string, Promise<AuthorizationOutcome>>();

  constructor(options: LambdaAuthorizerOptions) {
    this.#options = options;
    this.#cache = new AuthorizerCache(options.resultTtlSeconds * 1000);
  }

  /**
   * The identity source values of a request, or undefined when one is missing or empty: then API
   * Gateway answers 401 without invoking the authorizer.
   */
  identitySourceOf(headers: Readonly<Record<string, string>>): string[] | undefined {
    const value = headers.authorization;
    return value === undefined || value === '' ? undefined : [value];
  }

  /** The cached verdict for these identity source values, if one is still fresh. */
  cached(identitySource: readonly string[]): AuthorizationOutcome | undefined {
    return this.#cache.get(cacheKeyOf(identitySource), this.#options.now());
  }

  /**
   * Invokes the authorizer with `event` and caches an allow or deny verdict; joins the invocation
   * already under way for the same identity source instead, when caching is on.
   */
  authorize(identitySource: readonly string[], event: AuthorizerEventV2): Promise<AuthorizationOutcome> {
    if (this.#options.resultTtlSeconds <= 0) return this.#invoke(identitySource, event);
    const key = cacheKeyOf(identitySource);
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return pending;
    const invocation = this.#invoke(identitySource, event).finally(() => {
      // A cache reset may have dropped it and a newer invocation taken its place.
      if (this.#inFlight.get(key) === invocation) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, invocation);
    return invocation;
  }

  /** Empties the result cache; requests after this invoke the authorizer again. */
  clearCache(): void {
    this.#cache.clear();
    this.#inFlight.clear();
  }

  async #invoke(identitySource: readonly string[], event: AuthorizerEventV2): Promise<AuthorizationOutcome> {
    const { invoker, functionId, timeoutMs, now } = this.#options;
    let result: Awaited<ReturnType<typeof invokeWithDeadline>>;
    try {
      result = await invokeWithDeadline(invoker, functionId, event, timeoutMs);
    } catch (error) {
      return { kind: 'failed', reason: `authorizer could not be invoked: ${String(error)}` };
    }
    if (result === DEADLINE_PASSED)
      return { kind: 'failed', reason: `authorizer timed out after ${timeoutMs} ms` };
    if (!result.ok) {
      return {
        kind: 'failed',
        reason: `authorizer failed: ${result.error.errorType}: ${result.error.errorMessage}`,
      };
    }
    const response = parseSimpleResponse(result.payload);
    if (response === undefined) {
      return {
        kind: 'failed',
        reason: `authorizer returned a malformed response: ${preview(result.payload)}`,
      };
    }
    const outcome: AuthorizationOutcome = response.isAuthorized
      ? { kind: 'allow', authorizer: { lambda: response.context } }
      : { kind: 'deny' };
    this.#cache.set(cacheKeyOf(identitySource), outcome, now());
    return outcome;
  }
}

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

function cacheKeyOf(identitySource: readonly string[]): string {
  // Header values cannot contain a line feed, so it separates values unambiguously.
  return identitySource.length === 1 ? (identitySource[0] as string) : identitySource.join('\n');
}

function preview(payload: unknown): string {
  const text = JSON.stringify(payload) ?? String(payload);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
