import type { MiddlewareObj } from '@middy/core';
import type { HttpResult } from './httpHandler';

/** The parts of an HTTP API (2.0) or REST API (facade) event that say whether the caller was authenticated. */
export interface SecuredEvent {
  readonly requestContext?: {
    /** Set by the platform's Lambda authorizer on the HTTP API's authorized routes. */
    readonly authorizer?: { readonly lambda?: unknown } | null;
    /** Set by API Gateway on an IAM-authorized REST API (a facade): the signing principal. */
    readonly identity?: { readonly userArn?: string | null } | null;
  };
}

/**
 * middy middleware: the security headers of every response of an API or facade function, on
 * success and on error alike. `x-content-type-options: nosniff` always (a browser never guesses a
 * type the response did not declare). `cache-control: no-store` always for an authenticated caller
 * (the platform authorizer's context, or an IAM-signed facade call), whatever the handler set: such
 * responses carry personal data; for anyone else, `no-store` unless the handler chose its own
 * `cache-control` (the JWKS is public and cacheable; login, signup and refresh answer through
 * `jsonResponse`, whose default is `no-store`).
 *
 * @example
 * ```ts
 * middy(handler).use(securityHeaders()).use(httpErrorHandler({ logger }));
 * ```
 */
export function securityHeaders(): MiddlewareObj<SecuredEvent, HttpResult> {
  const secure = (request: { event: SecuredEvent; response: HttpResult | null | undefined }): void => {
    const response = request.response;
    if (response === null || response === undefined) return;
    const headers: Record<string, string> = {};
    let cacheControl: string | undefined;
    for (const [name, value] of Object.entries(response.headers)) {
      const lower = name.toLowerCase();
      if (lower === 'cache-control') cacheControl = value;
      else if (lower !== 'x-content-type-options') headers[name] = value;
    }
    headers['x-content-type-options'] = 'nosniff';
    headers['cache-control'] =
      cacheControl === undefined || isAuthenticated(request.event) ? 'no-store' : cacheControl;
    request.response = { ...response, headers };
  };
  return { name: 'securityHeaders', after: secure, onError: secure };
}

function isAuthenticated(event: SecuredEvent): boolean {
  const context = event.requestContext;
  const lambda = context?.authorizer?.lambda;
  const userArn = context?.identity?.userArn;
  return (lambda !== undefined && lambda !== null) || (typeof userArn === 'string' && userArn !== '');
}
