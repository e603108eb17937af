import type { AuthorizerContext } from '@quanta/contracts/platform';
import { type Observability, observedHandler } from '@quanta/runtime/observability';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { TicketService } from '../service/TicketService';

/**
 * Context of an admitted WebSocket connection. WebSocket (and REST) authorizer context values must
 * be strings, numbers or booleans, so `roles` is comma-joined.
 */
interface WebSocketAuthorizerContext {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: string;
  readonly [key: string]: string;
}

/**
 * The WebSocket API `$connect` REQUEST authorizer: redeems the one-time ticket from
 * `queryStringParameters.ticket` and answers an IAM policy — `Allow` on the `methodArn` with the
 * caller as context, or `Deny` for a missing, unknown, used or expired ticket.
 *
 * @example
 * ```ts
 * export const handler = createWebSocketAuthorizer(new TicketService({ store, denylist }), observability);
 * ```
 */
export function createWebSocketAuthorizer(
  tickets: TicketService,
  observability: Observability,
): ReturnType<typeof observedHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>> {
  const { logger, metrics } = observability;
  return observedHandler(
    async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
      const caller = await tickets.redeem(event.queryStringParameters?.ticket ?? undefined);
      if (caller === undefined) {
        metrics.addMetric('Denied', 'Count', 1);
        logger.info('WebSocket connection denied: no valid ticket', { methodArn: event.methodArn });
        return policy('anonymous', 'Deny', event.methodArn);
      }
      metrics.addMetric('Authorized', 'Count', 1);
      return { ...policy(caller.userId, 'Allow', event.methodArn), context: toContext(caller) };
    },
    { observability },
  );
}

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
  };
}

function toContext(caller: AuthorizerContext): WebSocketAuthorizerContext {
  return { userId: caller.userId, sessionId: caller.sessionId, roles: caller.roles.join(',') };
}
