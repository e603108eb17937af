import type { AuthorizerContext } from '@quanta/contracts/platform';
import { headerOf } from '@quanta/runtime/http';
import { type Observability, observedHandler } from '@quanta/runtime/observability';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { AccessAuthorizer } from '../service/AccessAuthorizer';

/** The HTTP API "simple response" (authorizer payload 2.0, `enableSimpleResponses`). */
interface SimpleAuthorizerResult {
  readonly isAuthorized: boolean;
  /** Lands in `requestContext.authorizer.lambda` of the route's event. */
  readonly context?: AuthorizerContext;
}

/**
 * The HTTP API Lambda authorizer (payload 2.0, simple responses) around an {@link AccessAuthorizer}:
 * `{ isAuthorized: true, context: { userId, sessionId, roles } }` for a valid, unrevoked token, else
 * `{ isAuthorized: false }` (the gateway answers 403). It throws only when verification cannot run
 * (JWKS or denylist unavailable), so an outage is a 5xx that the gateway does not cache as a deny.
 * The token is never logged.
 *
 * @example
 * ```ts
 * export const handler = createHttpAuthorizer(new AccessAuthorizer({ verifier, denylist }), observability);
 * ```
 */
export function createHttpAuthorizer(
  authorizer: AccessAuthorizer,
  observability: Observability,
): ReturnType<typeof observedHandler<APIGatewayRequestAuthorizerEventV2, SimpleAuthorizerResult>> {
  const { logger, metrics } = observability;
  return observedHandler(
    async (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult> => {
      const authorization = headerOf(event.headers, 'authorization') ?? event.identitySource?.[0];
      const decision = await authorizer.authorize(authorization);
      if (!decision.allowed) {
        metrics.addMetric('Denied', 'Count', 1);
        logger.info('Access denied', { reason: decision.reason, routeArn: event.routeArn });
        return { isAuthorized: false };
      }
      metrics.addMetric('Authorized', 'Count', 1);
      logger.appendKeys({ userId: decision.caller.userId, sessionId: decision.caller.sessionId });
      return { isAuthorized: true, context: decision.caller };
    },
    { observability },
  );
}
