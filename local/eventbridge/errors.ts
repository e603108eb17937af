/**
 * Errors of the local EventBridge. Each carries the AWS error code (`awsCode`) it stands for, so the
 * HTTP layer can answer exactly what EventBridge would answer (`__type` in the AWS JSON protocol).
 */

/** Base class of every error raised by the local EventBridge. */
export class EventBridgeError extends Error {
  /** The AWS error code this error is reported as over the wire, e.g. `ValidationException`. */
  readonly awsCode: string;

  constructor(awsCode: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventBridgeError';
    this.awsCode = awsCode;
  }
}

/**
 * An event pattern EventBridge would reject. The message has AWS's `InvalidEventPatternException`
 * wording: `Event pattern is not valid. Reason: <reason>`.
 */
export class InvalidEventPatternError extends EventBridgeError {
  /** The reason alone, without the `Event pattern is not valid. Reason: ` prefix. */
  readonly reason: string;

  constructor(reason: string, options?: ErrorOptions) {
    super('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`, options);
    this.name = 'InvalidEventPatternError';
    this.reason = reason;
  }
}

/** A request EventBridge would reject as a whole (`ValidationException`, HTTP 400). */
export class EventBridgeValidationError extends EventBridgeError {
  constructor(message: string, options?: ErrorOptions) {
    super('ValidationException', message, options);
    this.name = 'EventBridgeValidationError';
  }
}

/** A named event bus or rule that does not exist (`ResourceNotFoundException`). */
export class EventBridgeResourceNotFoundError extends EventBridgeError {
  constructor(message: string, options?: ErrorOptions) {
    super('ResourceNotFoundException', message, options);
    this.name = 'EventBridgeResourceNotFoundError';
  }
}

/** A bus or rule created twice (`ResourceAlreadyExistsException`). */
export class EventBridgeResourceAlreadyExistsError extends EventBridgeError {
  constructor(message: string, options?: ErrorOptions) {
    super('ResourceAlreadyExistsException', message, options);
    this.name = 'EventBridgeResourceAlreadyExistsError';
  }
}

/**
 * One failed attempt to hand an event to a target. `errorCode` uses the codes EventBridge writes in
 * the `ERROR_CODE` attribute of dead-lettered messages; `retryable` is false for failures AWS
 * does not retry (a target that does not exist goes straight to the DLQ).
 */
export class TargetDeliveryError extends EventBridgeError {
  readonly errorCode: string;
  readonly retryable: boolean;

  constructor(errorCode: string, message: string, retryable: boolean, options?: ErrorOptions) {
    super('TargetDeliveryFailure', message, options);
    this.name = 'TargetDeliveryError';
    this.errorCode = errorCode;
    this.retryable = retryable;
  }
}

/** The archive could not write to, or read back, its JSON-lines file. */
export class EventArchiveError extends EventBridgeError {
  constructor(message: string, options?: ErrorOptions) {
    super('InternalException', message, options);
    this.name = 'EventArchiveError';
  }
}
