import type { IncomingHttpHeaders } from 'node:http';
import type { CorsSettings } from '@quanta/runtime/manifest';

/** An HTTP API's CORS configuration, as API Gateway takes it: the plan's `httpApi.cors`. */
export type HttpApiCorsConfiguration = CorsSettings;

/** Response headers, lower-case names. */
export type CorsHeaders = Readonly<Record<string, string>>;

const NONE: CorsHeaders = Object.freeze({});
/** Methods a browser sends without asking, whatever `Access-Control-Allow-Methods` says (Fetch: CORS-safelisted methods). */
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * The CORS half of API Gateway's HTTP API, as its developer guide describes it ("Configure CORS for
 * HTTP APIs"): a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) that no
 * `OPTIONS` or `ANY` route takes is answered by the gateway itself, `204` with no body; any other
 * request with an `Origin` is routed as usual and its response, the gateway's own error responses
 * included, gets the CORS headers when the origin is allowed; CORS headers from the integration are
 * dropped. Where AWS documents no detail (what a preflight for a method or header outside the
 * configuration gets), the answer carries CORS headers only when a browser would let the request
 * through, so the browser's verdict is the same as with AWS's; `*` in the configuration is sent as
 * `*`, never expanded into what the request asked for, so the local cloud is never more permissive
 * than AWS could be.
 *
 * @example
 * ```ts
 * const cors = new HttpApiCors({ allowOrigins: ['http://127.0.0.1:5173'], allowHeaders: ['authorization'],
 *   allowMethods: ['GET'], exposeHeaders: [], maxAgeSeconds: 600, allowCredentials: false });
 * cors.preflightHeaders({ origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'GET' });
 * // { 'access-control-allow-origin': 'http://127.0.0.1:5173', vary: 'origin', 'access-control-allow-methods': 'GET', … }
 * ```
 */
export class HttpApiCors {
  readonly #origins: ReadonlySet<string>;
  readonly #anyOrigin: boolean;
  readonly #schemeWildcards: readonly string[];
  readonly #methods: ReadonlySet<string>;
  readonly #headers: ReadonlySet<string>;
  readonly #allowCredentials: boolean;
  readonly #preflight: CorsHeaders;
  readonly #response: CorsHeaders;

  constructor(configuration: HttpApiCorsConfiguration) {
    const origins = configuration.allowOrigins.map((o) => o.toLowerCase());
    this.#anyOrigin = origins.includes('*');
    this.#schemeWildcards = origins.filter((o) => o.endsWith('://*')).map((o) => o.slice(0, -1));
    this.#origins = new Set(origins);
    this.#methods = new Set(configuration.allowMethods.map((m) => m.toUpperCase()));
    this.#headers = new Set(configuration.allowHeaders.map((h) => h.toLowerCase()));
    this.#allowCredentials = configuration.allowCredentials;
    const credentials: CorsHeaders = configuration.allowCredentials
      ? { 'access-control-allow-credentials': 'true' }
      : NONE;
    this.#preflight = {
      ...credentials,
      ...(configuration.allowMethods.length === 0
        ? {}
        : { 'access-control-allow-methods': configuration.allowMethods.join(',') }),
      ...(configuration.allowHeaders.length === 0
        ? {}
        : { 'access-control-allow-headers': configuration.allowHeaders.join(',') }),
      'access-control-max-age': String(configuration.maxAgeSeconds),
    };
    this.#response = {
      ...credentials,
      ...(configuration.exposeHeaders.length === 0
        ? {}
        : { 'access-control-expose-headers': configuration.exposeHeaders.join(',') }),
    };
  }

  /** A CORS preflight: `OPTIONS` with both `Origin` and `Access-Control-Request-Method`. */
  static isPreflight(method: string | undefined, headers: IncomingHttpHeaders): boolean {
    return (
      method === 'OPTIONS' &&
      headers.origin !== undefined &&
      headers['access-control-request-method'] !== undefined
    );
  }

  /**
   * The CORS headers of the gateway's answer to a preflight: none unless the origin, the method and
   * every requested header are allowed.
   */
  preflightHeaders(headers: IncomingHttpHeaders): CorsHeaders {
    const allowOrigin = this.#allowOriginOf(headers.origin);
    if (allowOrigin === undefined) return NONE;
    const method = single(headers['access-control-request-method']).trim();
    if (!(SAFELISTED_METHODS.has(method) || this.#methods.has('*') || this.#methods.has(method))) return NONE;
    const requested = single(headers['access-control-request-headers'])
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
    if (!requested.every((h) => this.#allowsHeader(h))) return NONE;
    return { ...allowOrigin, ...this.#preflight };
  }

  /**
   * The CORS headers of the response to a request the gateway routes: none unless it has an allowed
   * `Origin`, and none for an `OPTIONS` that is no preflight (AWS: "For the OPTIONS method, your
   * request must contain an origin header and an Access-Control-Request-Method header").
   */
  responseHeaders(method: string | undefined, headers: IncomingHttpHeaders): CorsHeaders {
    if (method === 'OPTIONS' && !HttpApiCors.isPreflight(method, headers)) return NONE;
    const allowOrigin = this.#allowOriginOf(headers.origin);
    return allowOrigin === undefined ? NONE : { ...allowOrigin, ...this.#response };
  }

  /**
   * `headers` (an integration's response headers, lower-case names) without its CORS headers, which
   * API Gateway ignores once the API has a CORS configuration, plus `cors`; `vary` is merged.
   */
  static applyTo(
    headers: Record<string, string | string[] | number>,
    cors: CorsHeaders,
  ): Record<string, string | string[] | number> {
    const out: Record<string, string | string[] | number> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith('access-control-')) out[name] = value;
    }
    for (const [name, value] of Object.entries(cors)) {
      const existing = out[name];
      out[name] = name === 'vary' && typeof existing === 'string' ? `${existing}, ${value}` : value;
    }
    return out;
  }

  #allowOriginOf(origin: string | undefined): CorsHeaders | undefined {
    if (origin === undefined || origin === '') return undefined;
    const lower = origin.toLowerCase();
    // `*` answers `*`, which browsers refuse with credentials; API Gateway refuses that configuration.
    if (this.#anyOrigin && !this.#allowCredentials) return { 'access-control-allow-origin': '*' };
    const allowed =
      this.#anyOrigin || this.#origins.has(lower) || this.#schemeWildcards.some((s) => lower.startsWith(s));
    return allowed ? { 'access-control-allow-origin': origin, vary: 'origin' } : undefined;
  }

  #allowsHeader(name: string): boolean {
    if (this.#headers.has(name)) return true;
    // Fetch: `*` covers every header but Authorization, and nothing when credentials are allowed.
    return this.#headers.has('*') && name !== 'authorization' && !this.#allowCredentials;
  }
}

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
