import type { Logger } from '@aws-lambda-powertools/logger';
import type { ErrorBody } from '@quanta/contracts/http';
import { MethodNotAllowedError, QuantaError } from '../errors';
import { type HttpResult, jsonResponse } from './HttpResult';

/** Client-facing messages of retryable 503 codes. */
const RETRYABLE_MESSAGES: Readonly<Record<string, string>> = {
  DEPENDENCY_UNAVAILABLE: 'A service this request depends on is unavailable or too slow; retry later',
};

/**
 * The one mapping from an error to an HTTP response (used only by {@link httpErrorHandler}):
 * a {@link QuantaError} below 500 answers its status, code, message and details; a 503 answers its
 * code with a generic retryable message; anything else is a generic 500 `INTERNAL`. Server errors are logged with
 * their stack; no stack trace or internal message ever reaches a body.
 *
 * @example
 * ```ts
 * errorResponse(new NotFoundError('User 42 not found'), logger); // 404 { error: { code: 'NOT_FOUND', ... } }
 * ```
 */
export function errorResponse(error: unknown, logger?: Pick<Logger, 'error' | 'info'>): HttpResult {
  if (error instanceof QuantaError && error.status < 500) {
    // Status and code only: client-error messages echo client input (e-mails…), which stays out of logs.
    logger?.info('Request rejected', { status: error.status, code: error.code });
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
    const headers: Record<string, string> =
      error instanceof MethodNotAllowedError ? { allow: error.allowed.join(', ') } : {};
    return jsonResponse(error.status, body, headers);
  }
  if (error instanceof Error) logger?.error('Request failed', error);
  else logger?.error('Request failed', { error: String(error) });
  if (error instanceof QuantaError && error.status === 503) {
    // The stable code tells clients *what* is unavailable (e.g. DEPENDENCY_UNAVAILABLE); the message
    // stays generic, because the internal one names our topology (it is in the log above).
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: RETRYABLE_MESSAGES[error.code] ?? 'Service unavailable, retry later',
      },
    };
    return jsonResponse(503, body, { 'retry-after': '1' });
  }
  const body: ErrorBody = { error: { code: 'INTERNAL', message: 'Internal error' } };
  return jsonResponse(500, body);
}
