/** Base of every error raised by the local DynamoDB engine. */
export class LocalDynamoDbError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalDynamoDbError';
  }
}

/** DynamoDB Local did not start (Java missing, port taken, no answer in time); the message quotes its output. */
export class DynamoDbLocalStartError extends LocalDynamoDbError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DynamoDbLocalStartError';
  }
}

/** A table could not be created or configured. */
export class TableProvisioningError extends LocalDynamoDbError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TableProvisioningError';
  }
}

/** A stream poller was misconfigured or its stream vanished. */
export class StreamPollerError extends LocalDynamoDbError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StreamPollerError';
  }
}
