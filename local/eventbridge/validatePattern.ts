import { compilePattern } from './compilePattern';

/**
 * Checks an event pattern the way `PutRule` does, without keeping the compiled matcher.
 *
 * @throws {InvalidEventPatternError} with AWS's `Event pattern is not valid. Reason: …` message.
 *
 * @example
 * validatePattern({ detail: { count: [{ numeric: ['>', 5, '>', 1] }] } });
 * // throws: Event pattern is not valid. Reason: Bad numeric range operator: >
 */
export function validatePattern(pattern: unknown): void {
  compilePattern(pattern);
}
