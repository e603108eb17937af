import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { type ApiContext, DEFAULT_STAGE } from './ApiContext';
import type { GatewayRequest } from './GatewayRequest';
import type { RouteMatch } from './RouteTable';
import { requestContextOf } from './requestContextOf';

/**
 * Authorizer event, payload format 2.0. `@types/aws-lambda` declares `cookies` required; AWS omits
 * it when the request has no cookies.
 */
export type AuthorizerEventV2 = Omit<APIGatewayRequestAuthorizerEventV2, 'cookies'> & { cookies?: string[] };

/**
 * The event API Gateway sends a REQUEST Lambda authorizer with payload format 2.0: the request
 * (no body) plus `type`, the `routeArn` being called and the `identitySource` values.
 *
 * @example
 * ```ts
 * buildAuthorizerEvent(request, match, api, ['Bearer eyJ...']).routeArn;
 * // 'arn:aws:execute-api:us-east-1:000000000000:local/$default/GET/identity/me'
 * ```
 */
export function buildAuthorizerEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiContext,
  identitySource: string[],
): AuthorizerEventV2 {
  const event: AuthorizerEventV2 = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${DEFAULT_STAGE}/${request.method}${request.rawPath}`,
    identitySource,
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    requestContext: requestContextOf(request, match.route.routeKey, api),
  };
  if (request.cookies !== undefined) event.cookies = request.cookies;
  if (request.queryStringParameters !== undefined)
    event.queryStringParameters = request.queryStringParameters;
  if (match.pathParameters !== undefined) event.pathParameters = match.pathParameters;
  return event;
}
