/** A response as the tests see it. */
export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Request options of {@link HttpClient.call}. */
export interface CallOptions {
  readonly token?: string;
  /** JSON-encoded unless it is a string or bytes (sent as they are). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A minimal client of the platform's HTTP API, as a browser or curl would call it.
 *
 * @example
 * ```ts
 * const api = new HttpClient(target.httpUrl);
 * const me = await api.call('GET', '/identity/me', { token });
 * ```
 */
export class HttpClient {
  constructor(private readonly baseUrl: string) {}

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body =
        typeof options.body === 'string' || options.body instanceof Uint8Array
          ? options.body
          : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text !== '' && (response.headers.get('content-type') ?? '').includes('json'))
      parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}
