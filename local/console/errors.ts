/**
 * Errors of the developer console. Those a client can cause carry the HTTP status and code the
 * console server answers with (it maps them in one place, `ConsoleServer`); any other error is a
 * 500 with a generic body.
 */

/** Base class of every error the console raises. */
export class ConsoleError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConsoleError';
  }
}

/** A request the console refuses; `statusCode` is below 500 and `message` is safe to show. */
export class ConsoleRequestError extends ConsoleError {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConsoleRequestError';
  }
}

/** No kept activity carries the id a trace was asked for. */
export class TraceNotFoundError extends ConsoleRequestError {
  constructor(readonly id: string) {
    super(
      404,
      'TRACE_NOT_FOUND',
      `Nothing kept carries '${id}' as a correlation id or an order id (the console keeps the latest activity only)`,
    );
    this.name = 'TraceNotFoundError';
  }
}

/** The queue named is not a dead-letter queue of the plan. */
export class UnknownDeadLetterQueueError extends ConsoleRequestError {
  constructor(readonly queue: string) {
    super(404, 'UNKNOWN_DEAD_LETTER_QUEUE', `'${queue}' is not a dead-letter queue of this local cloud`);
    this.name = 'UnknownDeadLetterQueueError';
  }
}

/**
 * The dead-letter queue has no source queue to move messages back to: a schedule's or an outbox
 * relay's on-failure destination holds failure records, not messages of a queue.
 */
export class NotRedrivableError extends ConsoleRequestError {
  constructor(readonly queue: string) {
    super(
      409,
      'NOT_REDRIVABLE',
      `'${queue}' is an on-failure destination with no source queue; its records cannot be redriven`,
    );
    this.name = 'NotRedrivableError';
  }
}
