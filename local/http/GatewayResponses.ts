/** A response API Gateway itself produces (no integration involved). */
export interface GatewayResponse {
  readonly statusCode: number;
  /** The JSON body, `{"message":"..."}`, pre-serialized. */
  readonly body: string;
}

const of = (statusCode: number, message: string): GatewayResponse => ({
  statusCode,
  body: JSON.stringify({ message }),
});

/**
 * The HTTP API's own responses, with the bodies AWS sends.
 *
 * @example
 * ```ts
 * GatewayResponses.unauthorized; // { statusCode: 401, body: '{"message":"Unauthorized"}' }
 * ```
 */
export const GatewayResponses = {
  /** No route matches the method and path. */
  notFound: of(404, 'Not Found'),
  /** The authorizer's identity source is missing or empty; the authorizer was not called. */
  unauthorized: of(401, 'Unauthorized'),
  /** The authorizer answered `isAuthorized: false`. */
  forbidden: of(403, 'Forbidden'),
  /** The body exceeds the HTTP API payload quota (10 MB). */
  payloadTooLarge: of(413, 'Request Entity Too Large'),
  /** The authorizer or the integration failed, timed out (function timeout) or answered malformed. */
  internalServerError: of(500, 'Internal Server Error'),
  /** The integration did not answer within the integration timeout (30 s at most on AWS). */
  serviceUnavailable: of(503, 'Service Unavailable'),
} as const;
