/** Base of every error raised by the local SQS engine. */
export class LocalSqsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalSqsError';
  }
}

/** fauxqs could not start, or was used before `start()`. */
export class SqsLocalStartError extends LocalSqsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SqsLocalStartError';
  }
}

/** A queue (or its DLQ) could not be created. */
export class QueueProvisioningError extends LocalSqsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueueProvisioningError';
  }
}

/** An SQS event source mapping was misconfigured. */
export class EventSourceMappingError extends LocalSqsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventSourceMappingError';
  }
}
