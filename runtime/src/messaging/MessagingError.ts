import { QuantaError, type QuantaErrorOptions } from '../errors';

/**
 * 500: a request or reply could not be sent (unknown target, SQS refused it). The triggering
 * message is retried, so the send is repeated; receivers are idempotent.
 *
 * @example
 * ```ts
 * throw new MessagingError("No request queue for 'catalog' (REQUEST_QUEUE_URL_CATALOG is not set)");
 * ```
 */
export class MessagingError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'MESSAGING_FAILED', ...options, status: 500 });
  }
}
