/**
 * The security headers of every response of the web client, in one place: the Web stack's CloudFront
 * response headers policy and the local static server (local/web) both render these, so what a
 * developer runs is what is deployed.
 */

/** The origins the page talks to besides its own, for the Content-Security-Policy's `connect-src`. */
export interface ConnectSources {
  /** The platform's HTTP API (`https://…execute-api…`, locally `http://127.0.0.1:3000`). */
  readonly apiUrl: string;
  /** The platform's WebSocket API (`wss://…/prod`, locally `ws://127.0.0.1:3001`). */
  readonly webSocketUrl: string;
}

/**
 * The page's Content-Security-Policy: its own scripts and styles only (Vite emits no inline script
 * or style, and the pages set text, never HTML), fetches and WebSockets to its own origin and the two
 * APIs, no plugins, no framing, no `<base>` rewriting, forms posting nowhere else.
 *
 * @example
 * ```ts
 * contentSecurityPolicy({ apiUrl: 'http://127.0.0.1:3000', webSocketUrl: 'ws://127.0.0.1:3001' });
 * // "default-src 'none'; script-src 'self'; … connect-src 'self' http://127.0.0.1:3000 ws://127.0.0.1:3001; …"
 * ```
 */
export function contentSecurityPolicy(sources: ConnectSources): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src 'self' ${sources.apiUrl} ${sources.webSocketUrl}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** HSTS: two years, subdomains included (browsers ignore it over plain http, as on 127.0.0.1). */
export const STRICT_TRANSPORT_SECURITY = { maxAgeSeconds: 63_072_000, includeSubdomains: true } as const;
/** Sent on every response: no framing, no MIME sniffing, the origin only as referrer to other sites. */
export const FRAME_OPTIONS = 'DENY';
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

/**
 * Every security header as HTTP header lines (lower-case names), as the local static server sends
 * them and CloudFront's response headers policy does.
 *
 * @example
 * ```ts
 * res.writeHead(200, { ...securityHeaders(sources), 'content-type': 'text/html; charset=utf-8' });
 * ```
 */
export function securityHeaders(sources: ConnectSources): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(sources),
    'strict-transport-security': `max-age=${STRICT_TRANSPORT_SECURITY.maxAgeSeconds}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': FRAME_OPTIONS,
    'referrer-policy': REFERRER_POLICY,
  };
}
