import type { AuthorizerContext } from '@quanta/contracts/platform';
import type { HttpApiEvent } from '../http/createRouter';

/** What {@link httpApiEvent} builds an event from. */
export interface HttpApiEventInput {
  readonly method: string;
  readonly path: string;
  /** A string is sent as is; anything else is JSON-encoded. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** The authorizer context, as the platform authorizer would set it. */
  readonly caller?: AuthorizerContext;
}

/**
 * An HTTP API payload 2.0 event as API Gateway (and the local cloud) delivers it.
 *
 * @example
 * ```ts
 * const event = httpApiEvent({ method: 'GET', path: '/identity/me', caller: { userId: 'u1', sessionId: 's1', roles: [] } });
 * ```
 */
export function httpApiEvent(input: HttpApiEventInput): HttpApiEvent {
  const body =
    input.body === undefined
      ? undefined
      : typeof input.body === 'string'
        ? input.body
        : JSON.stringify(input.body);
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const query = input.query ?? {};
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: input.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: Object.keys(query).length === 0 ? undefined : { ...query },
    requestContext: {
      accountId: '111111111111',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method: input.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: `req-${now.getTime()}-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(input.caller === undefined ? {} : { authorizer: { lambda: input.caller } }),
    },
    body,
    isBase64Encoded: false,
  };
}
