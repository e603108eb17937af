import type { WebSocketEvent } from '../../functions/webSocketHandler';

/** What {@link webSocketEvent} builds an event from. */
interface WebSocketEventInput {
  /** A client frame: objects are JSON-encoded. */
  readonly body?: unknown;
  /** `requestContext.authorizer` as API Gateway passes the `$connect` authorizer's context. */
  readonly authorizer?: Record<string, unknown>;
  /** Send the body base64-encoded, as API Gateway does for a binary frame. */
  readonly binary?: boolean;
}

/**
 * A WebSocket API event as API Gateway's Lambda proxy integration delivers it for `routeKey`
 * (`$connect`, `$disconnect`, `$default` or an action).
 *
 * @example
 * ```ts
 * await handler(webSocketEvent('send', 'Abc=', { body: { action: 'send', roomId, text, clientMessageId } }), lambdaContext());
 * ```
 */
export function webSocketEvent(
  routeKey: string,
  connectionId: string,
  input: WebSocketEventInput = {},
): WebSocketEvent {
  const now = Date.now();
  const text =
    input.body === undefined
      ? undefined
      : typeof input.body === 'string'
        ? input.body
        : JSON.stringify(input.body);
  return {
    requestContext: {
      routeKey,
      messageId: routeKey.startsWith('$') && routeKey !== '$default' ? '' : `msg-${now}`,
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      extendedRequestId: `ext-${now}`,
      requestTime: new Date(now).toUTCString(),
      messageDirection: 'IN',
      stage: 'live',
      connectedAt: now - 1000,
      requestTimeEpoch: now,
      requestId: `req-${now}-${Math.random().toString(36).slice(2, 8)}`,
      domainName: 'ws.example.com',
      connectionId,
      apiId: 'wsapi',
      ...(input.authorizer === undefined ? {} : { authorizer: input.authorizer }),
    },
    ...(text === undefined
      ? {}
      : { body: input.binary === true ? Buffer.from(text, 'utf8').toString('base64') : text }),
    isBase64Encoded: input.binary === true,
  };
}

/** `requestContext.authorizer` of a connection admitted by the platform's ticket authorizer (values are strings). */
export function ticketAuthorizer(
  userId: string,
  sessionId: string,
  roles = 'customer',
): Record<string, unknown> {
  return { principalId: userId, integrationLatency: 12, userId, sessionId, roles };
}
