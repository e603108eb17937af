/**
 * Errors of the local facade gateway. They describe misuse of the gateway itself (bad options,
 * starting twice, unknown quantum); a caller's bad request never throws, it becomes the response
 * API Gateway would send.
 */

/** Base class of every error the facade gateway raises. */
export class FacadeGatewayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FacadeGatewayError';
  }
}

/** The gateway's options cannot form valid facade APIs; the message shows the bad value. */
export class FacadeConfigurationError extends FacadeGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FacadeConfigurationError';
  }
}

/** A lifecycle call came at the wrong time (e.g. `start()` on a running gateway). */
export class FacadeStateError extends FacadeGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FacadeStateError';
  }
}

/** No local principal exists for a quantum or an access key id. */
export class UnknownPrincipalError extends FacadeGatewayError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnknownPrincipalError';
  }
}
