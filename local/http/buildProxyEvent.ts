import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext } from 'aws-lambda';
import type { ApiContext } from './ApiContext';
import type { GatewayRequest } from './GatewayRequest';
import type { RouteMatch } from './RouteTable';
import type { RequestBody } from './requestBodyOf';
import { requestContextOf } from './requestContextOf';

/** What a Lambda authorizer's simple response put under `requestContext.authorizer`. */
export interface LambdaAuthorizerContext {
  /** The authorizer's `context`, or null when it returned none. */
  readonly lambda: Record<string, unknown> | null;
}

/** Payload format 2.0 event; `authorizer` is present only on routes guarded by the Lambda authorizer. */
export type ProxyEventV2 = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: LambdaAuthorizerContext }
>;

/**
 * The event API Gateway sends a Lambda proxy integration with payload format 2.0. Optional fields
 * are omitted, not null, when empty, as AWS does (strict parsers such as Powertools' reject null).
 *
 * @example
 * ```ts
 * const event = buildProxyEvent(request, match, api, body, { lambda: { userId: 'u1' } });
 * event.requestContext.authorizer?.lambda; // { userId: 'u1' }
 * ```
 */
export function buildProxyEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiContext,
  body: RequestBody | undefined,
  authorizer: LambdaAuthorizerContext | undefined,
): ProxyEventV2 {
  const requestContext: ProxyEventV2['requestContext'] = requestContextOf(request, match.route.routeKey, api);
  if (authorizer !== undefined) requestContext.authorizer = authorizer;
  const event: ProxyEventV2 = {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    requestContext,
    isBase64Encoded: false,
  };
  if (request.cookies !== undefined) event.cookies = request.cookies;
  if (request.queryStringParameters !== undefined)
    event.queryStringParameters = request.queryStringParameters;
  if (body !== undefined) {
    event.body = body.body;
    event.isBase64Encoded = body.isBase64Encoded;
  }
  if (match.pathParameters !== undefined) event.pathParameters = match.pathParameters;
  return event;
}
