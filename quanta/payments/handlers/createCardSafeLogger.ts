import { Logger } from '@aws-lambda-powertools/logger';
import { redactCardData } from '../domain/redactCardData';

/**
 * payments' Powertools logger: every log line is serialized through {@link redactCardData}, so a
 * card number (or CVC) that reaches a log by any path — a poison message's body logged by the
 * runtime, an error, an attribute — is masked to its last 4 digits before it is written.
 *
 * @example
 * ```ts
 * const observability = createObservability({ serviceName: 'payments', logger: createCardSafeLogger('payments') });
 * ```
 */
export function createCardSafeLogger(serviceName: string, options: { logLevel?: string } = {}): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: redactCardData,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel as 'INFO' }),
  });
}
