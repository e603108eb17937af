import { types } from 'node:util';
import type { FunctionError } from './FunctionInvoker';

/** A function error plus the stack trace Lambda logs (but does not return to the caller of the port). */
export interface FunctionErrorWithTrace {
  readonly error: FunctionError;
  readonly trace: readonly string[];
}

/**
 * Maps a value thrown by a handler to the error Lambda's Node.js runtime reports: an `Error`
 * becomes `{ errorType: name, errorMessage: message }`; anything else is reported by its `typeof`
 * and its string form (Lambda's runtime interface client does the same).
 *
 * @example
 * ```ts
 * toFunctionError(new TypeError('bad')).error; // { errorType: 'TypeError', errorMessage: 'bad' }
 * toFunctionError('boom').error;               // { errorType: 'string', errorMessage: 'boom' }
 * ```
 */
export function toFunctionError(thrown: unknown): FunctionErrorWithTrace {
  if (types.isNativeError(thrown) || isErrorLike(thrown)) {
    const e = thrown as Error;
    return {
      error: { errorType: String(e.name ?? 'Error'), errorMessage: String(e.message ?? '') },
      trace: typeof e.stack === 'string' ? e.stack.split('\n') : [],
    };
  }
  let message: string;
  try {
    message = String(thrown);
  } catch {
    message = '(unprintable value)';
  }
  return { error: { errorType: typeof thrown, errorMessage: message }, trace: [] };
}

function isErrorLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
