import { CircuitOpenError } from '../errors';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** How long it stays open before one trial call is let through. @default 10000 */
  readonly resetTimeoutMs?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

type State = { kind: 'closed'; failures: number } | { kind: 'open'; until: number } | { kind: 'half-open' };

/**
 * A consecutive-failure circuit breaker: after `failureThreshold` failures in a row it fails fast
 * (CircuitOpenError) for `resetTimeoutMs`, then lets one trial call through: success closes it,
 * failure reopens it. Keep one per dependency in module scope, so it spans warm invocations.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 10_000 });
 * const products = await breaker.execute(() => catalog.getProducts(ids));
 * ```
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #resetMs: number;
  readonly #now: () => number;
  #state: State = { kind: 'closed', failures: 0 };

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#resetMs = options.resetTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** `closed`, `open` or `half-open` (a trial call is in flight or allowed). */
  get state(): State['kind'] {
    if (this.#state.kind === 'open' && this.#now() >= this.#state.until) return 'half-open';
    return this.#state.kind;
  }

  /**
   * Runs `work` unless the circuit is open. `isFailure` decides which errors count (e.g. not a 4xx).
   */
  async execute<T>(work: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    const state = this.#state;
    if (state.kind === 'open') {
      const now = this.#now();
      if (now < state.until) throw new CircuitOpenError(state.until - now);
      this.#state = { kind: 'half-open' };
    } else if (state.kind === 'half-open') {
      // Only one trial at a time: concurrent callers keep failing fast until it reports back.
      throw new CircuitOpenError(0);
    }
    try {
      const result = await work();
      this.#state = { kind: 'closed', failures: 0 };
      return result;
    } catch (error) {
      if (isFailure(error)) this.#recordFailure();
      else if (this.#state.kind === 'half-open') this.#state = { kind: 'closed', failures: 0 };
      throw error;
    }
  }

  #recordFailure(): void {
    const state = this.#state;
    const failures = state.kind === 'closed' ? state.failures + 1 : this.#threshold;
    this.#state =
      failures >= this.#threshold
        ? { kind: 'open', until: this.#now() + this.#resetMs }
        : { kind: 'closed', failures };
  }
}
