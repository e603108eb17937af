import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext } from 'aws-lambda';

/**
 * An HTTP API (payload format 2.0) event as a quantum's `api` function receives it. The authorizer
 * part is typed `unknown` on purpose: it is only trusted after {@link callerOf} has parsed it.
 */
export type HttpApiEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { readonly authorizer?: { readonly lambda?: unknown } }
>;
