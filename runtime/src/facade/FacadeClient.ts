// Synchronous calls to another quantum's facade, and the circuit breaker that lets a caller stop
// waiting for one that is down.
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import * as z from '@quanta/contracts/zod';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CircuitOpenError, FacadeRequestError, FacadeUnavailableError } from '../errors';
import { CORRELATION_ID_HEADER } from '../http/httpHandler';

/** Options of {@link FacadeClient}. */
export interface FacadeClientOptions {
  /** The target quantum, e.g. `catalog` (named in errors). */
  readonly target: string;
  /** The target's facade URL (`FACADE_URL_<TARGET>`), operations at `${baseUrl}/ops/${name}`. */
  readonly baseUrl: string;
  /** Region the facade API lives in (SigV4 scope). */
  readonly region: string;
  /** Whole-call timeout (connect, headers and body). @default 2000 */
  readonly timeoutMs?: number;
  /** Shared breaker for this target; keep it in module scope. @default a new CircuitBreaker() */
  readonly breaker?: CircuitBreaker;
  /** Credentials to sign with. @default the function's own, from its environment */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * A synchronous call to another quantum's facade (REST API, AWS_IAM): `POST ${baseUrl}/ops/${op}`
 * with a JSON body, SigV4-signed for `execute-api`, bounded by a timeout and guarded by a circuit
 * breaker, so a slow or broken quantum costs its callers at most `timeoutMs`, then nothing.
 * Timeouts, network errors, 5xx and contract-breaking answers raise `FacadeUnavailableError` (503);
 * a 4xx raises `FacadeRequestError` with the target's status and body (not a breaker failure).
 *
 * @example
 * ```ts
 * const catalog = new FacadeClient({ target: 'catalog', baseUrl: env.FACADE_URL_CATALOG, region: env.AWS_REGION });
 * const { products } = await catalog.call('GetProducts', { ids }, getProductsResponseSchema);
 * ```
 */
export class FacadeClient {
  readonly #target: string;
  readonly #baseUrl: URL;
  readonly #timeoutMs: number;
  readonly #breaker: CircuitBreaker;
  readonly #signer: SignatureV4;
  readonly #fetch: typeof globalThis.fetch;

  constructor(options: FacadeClientOptions) {
    this.#target = options.target;
    this.#baseUrl = new URL(options.baseUrl.replace(/\/$/, ''));
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#breaker = options.breaker ?? new CircuitBreaker();
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#signer = new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: options.credentials ?? fromEnv(),
      sha256: Sha256,
    });
  }

  /** Calls `operation` with `body`; resolves with the answer parsed by `responseSchema`. */
  async call<S extends z.core.$ZodType>(
    operation: string,
    body: unknown,
    responseSchema: S,
    options: { correlationId?: string } = {},
  ): Promise<z.infer<S>> {
    try {
      return await this.#breaker.execute(
        () => this.#attempt(operation, body, responseSchema, options.correlationId),
        (error) => !(error instanceof FacadeRequestError),
      );
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        throw new FacadeUnavailableError(this.#target, error.message, { cause: error });
      }
      throw error;
    }
  }

  async #attempt<S extends z.core.$ZodType>(
    operation: string,
    body: unknown,
    responseSchema: S,
    correlationId: string | undefined,
  ): Promise<z.infer<S>> {
    // A base URL without a stage path ("http://host:3100") has pathname "/": never produce "//ops".
    const basePath = this.#baseUrl.pathname.replace(/\/+$/, '');
    const url = new URL(`${basePath}/ops/${encodeURIComponent(operation)}`, this.#baseUrl);
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
    if (correlationId !== undefined) headers[CORRELATION_ID_HEADER] = correlationId;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      const signed = await this.#signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query: {},
        headers,
        body: payload,
      });
      response = await this.#fetch(url, { method: 'POST', headers: signed.headers, body: payload, signal });
      text = await response.text();
    } catch (cause) {
      const reason = signal.aborted
        ? `timed out after ${this.#timeoutMs} ms`
        : `request failed (${(cause as Error).message})`;
      throw new FacadeUnavailableError(this.#target, reason, { cause });
    }
    const json = parseJson(text);
    if (response.status >= 500) {
      throw new FacadeUnavailableError(this.#target, `answered HTTP ${response.status}`);
    }
    if (response.status >= 400) throw new FacadeRequestError(this.#target, response.status, json ?? text);
    const parsed = z.safeParse(responseSchema, json);
    if (!parsed.success) {
      throw new FacadeUnavailableError(this.#target, `answered ${operation} outside its contract`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

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
