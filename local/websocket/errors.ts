/**
 * Errors of the local WebSocket API gateway. They describe misuse of the gateway itself (bad
 * options, conflicting routes, starting twice); a client's bad handshake, frame or `@connections`
 * call never throws, it becomes the status, message or close code API Gateway would send.
 */

/** Base class of every error the WebSocket gateway raises. */
export class WebSocketGatewayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebSocketGatewayError';
  }
}

/** The gateway's options or routes cannot form a valid WebSocket API; the message shows the bad value. */
export class WebSocketConfigurationError extends WebSocketGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebSocketConfigurationError';
  }
}

/** A lifecycle call came at the wrong time (e.g. `start()` on a running gateway), or the port is taken. */
export class WebSocketStateError extends WebSocketGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebSocketStateError';
  }
}
