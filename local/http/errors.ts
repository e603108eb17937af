/**
 * Errors of the local HTTP API gateway. They describe misuse of the gateway itself (bad options,
 * conflicting routes, starting twice); a client's bad request never throws, it becomes the HTTP
 * response API Gateway would send.
 */

/** Base class of every error the HTTP gateway raises. */
export class HttpGatewayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpGatewayError';
  }
}

/** The gateway's options or routes cannot form a valid HTTP API; the message shows the bad value. */
export class GatewayConfigurationError extends HttpGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatewayConfigurationError';
  }
}

/** A lifecycle call came at the wrong time (e.g. `start()` on a running gateway). */
export class GatewayStateError extends HttpGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatewayStateError';
  }
}
