import type { APIGatewayEventRequestContextV2 } from 'aws-lambda';
import { type ApiContext, DEFAULT_STAGE } from './ApiContext';
import type { GatewayRequest } from './GatewayRequest';

/**
 * The `requestContext` of payload format 2.0 (integration and authorizer events alike), without
 * `authorizer`: only the gateway adds that, after its authorizer allowed the request.
 *
 * @example
 * ```ts
 * requestContextOf(request, 'ANY /identity/{proxy+}', api).stage; // '$default'
 * ```
 */
export function requestContextOf(
  request: GatewayRequest,
  routeKey: string,
  api: ApiContext,
): APIGatewayEventRequestContextV2 {
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: request.domainName,
    domainPrefix: domainPrefixOf(request.domainName),
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    },
    requestId: request.requestId,
    routeKey,
    stage: DEFAULT_STAGE,
    time: request.time,
    timeEpoch: request.timeEpoch,
  };
}

/** First label of the host name (port dropped): `abc123` for `abc123.execute-api.eu-west-1.amazonaws.com`. */
function domainPrefixOf(domainName: string): string {
  const host = domainName.startsWith('[') ? domainName : (domainName.split(':')[0] ?? domainName);
  const dot = host.indexOf('.');
  return dot === -1 ? host : host.slice(0, dot);
}
