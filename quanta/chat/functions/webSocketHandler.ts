import type { MiddyfiedHandler } from '@middy/core';
import * as z from '@quanta/contracts/zod';
import { type Observability, observedHandler } from '@quanta/runtime/observability';
import type {
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyWebsocketEventV2WithRequestContext,
} from 'aws-lambda';
import type { Caller } from '../domain/Connection';
import type { ChatSocket } from '../service/ChatSocket';

/**
 * A WebSocket API event as chat's `ws` function receives it (Lambda proxy integration). The
 * authorizer part is typed `unknown` on purpose: it is only trusted after it has been parsed.
 */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<
  APIGatewayEventWebsocketRequestContextV2 & { readonly authorizer?: unknown }
>;

/** What the `ws` function answers API Gateway: only the status matters (a non-2xx `$connect` refuses the connection). */
export interface WebSocketResult {
  readonly statusCode: number;
}

/**
 * The caller as the platform's `$connect` authorizer passes it in `requestContext.authorizer`:
 * WebSocket authorizer context values are strings, so `roles` is comma-joined. `displayName` is used
 * when the platform passes one (it does not today; see `ChatSocket.connect`).
 */
const callerSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  sessionId: z.string().check(z.minLength(1)),
  roles: z.pipe(
    z.optional(z.union([z.string(), z.array(z.string())])),
    z.transform((roles: string | string[] | undefined) =>
      typeof roles === 'string' ? roles.split(',').filter((r) => r !== '') : (roles ?? []),
    ),
  ),
  displayName: z.optional(z.string()),
});

/**
 * chat's WebSocket routes in one handler: `$connect` records the connection (refused with 401 when
 * the authorizer context is missing: the platform's authorizer should have refused it already),
 * `$disconnect` forgets it, and every other route (`join`, `leave`, `send`, `$default`) hands the
 * frame to {@link ChatSocket.receive}, which answers through `@connections`. The route key does not
 * decide anything the frame itself says: a frame API Gateway routed to `$default` gets the same
 * answer as it would anywhere else.
 *
 * @example
 * ```ts
 * export const handler = webSocketHandler(socket, { observability });
 * ```
 */
export function webSocketHandler(
  socket: ChatSocket,
  options: { readonly observability: Observability },
): MiddyfiedHandler<WebSocketEvent, WebSocketResult> {
  const { logger, metrics } = options.observability;
  return observedHandler(
    async (event: WebSocketEvent): Promise<WebSocketResult> => {
      const { routeKey, connectionId, requestId } = event.requestContext;
      logger.appendKeys({ connectionId, routeKey });
      switch (routeKey) {
        case '$connect': {
          const caller = callerSchema.safeParse(event.requestContext.authorizer);
          if (!caller.success) {
            logger.warn('Connection refused: no caller in the authorizer context');
            return { statusCode: 401 };
          }
          await socket.connect(connectionId, callerOf(caller.data));
          metrics.addMetric('Connections', 'Count', 1);
          return { statusCode: 200 };
        }
        case '$disconnect':
          await socket.disconnect(connectionId);
          return { statusCode: 200 };
        default:
          await socket.receive(connectionId, bodyOf(event), { correlationId: requestId });
          metrics.addMetric('Frames', 'Count', 1);
          return { statusCode: 200 };
      }
    },
    { observability: options.observability },
  );
}

function callerOf(parsed: z.infer<typeof callerSchema>): Caller {
  return {
    userId: parsed.userId,
    sessionId: parsed.sessionId,
    roles: parsed.roles,
    ...(parsed.displayName === undefined ? {} : { displayName: parsed.displayName }),
  };
}

/** The frame's text (binary frames arrive base64-encoded). */
function bodyOf(event: WebSocketEvent): string | undefined {
  if (event.body === undefined || !event.isBase64Encoded) return event.body;
  return Buffer.from(event.body, 'base64').toString('utf8');
}
