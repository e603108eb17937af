import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

/** Options of {@link FetchJwksFetcher}. */
interface FetchJwksFetcherOptions {
  /** Whole-request timeout in ms (connect, headers and body). @default 3000 */
  readonly timeoutMs?: number;
  /** Largest accepted response body in bytes. @default 65536 */
  readonly maxBytes?: number;
  /** The fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * An aws-jwt-verify `Fetcher` on the global `fetch` (undici), so the same authorizer fetches the
 * JWKS over HTTPS in AWS and over plain HTTP from the local cloud (the library's default fetcher
 * speaks HTTPS only). Requests time out, non-200 or non-JSON answers are refused, and a network
 * error is retried once.
 *
 * @example
 * ```ts
 * const jwksCache = new SimpleJwksCache({ fetcher: new FetchJwksFetcher({ timeoutMs: 2000 }) });
 * ```
 */
export class FetchJwksFetcher implements Fetcher {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #fetch: typeof globalThis.fetch;

  constructor(options: FetchJwksFetcherOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#maxBytes = options.maxBytes ?? 65_536;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async fetch(
    uri: string,
    _requestOptions?: Record<string, unknown>,
    data?: ArrayBuffer,
  ): Promise<ArrayBuffer> {
    try {
      return await this.#once(uri, data);
    } catch (error) {
      if (error instanceof NonRetryableFetchError) throw error;
      return this.#once(uri, data);
    }
  }

  async #once(uri: string, data: ArrayBuffer | undefined): Promise<ArrayBuffer> {
    let response: Response;
    try {
      response = await this.#fetch(uri, {
        method: data === undefined ? 'GET' : 'POST',
        body: data,
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new FetchError(uri, (error as Error).message);
    }
    if (response.status !== 200) {
      throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('application/json')) {
      throw new NonRetryableFetchError(uri, `Content-type is "${contentType}", expected "application/json"`);
    }
    const body = await response.arrayBuffer();
    if (body.byteLength > this.#maxBytes) {
      throw new NonRetryableFetchError(
        uri,
        `Response has ${body.byteLength} bytes; at most ${this.#maxBytes} accepted`,
      );
    }
    return body;
  }
}
