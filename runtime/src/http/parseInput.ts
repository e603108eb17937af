import type { z } from 'zod';
import { ValidationError } from '../errors';

/**
 * Parses untrusted input with a zod schema at the edge; a mismatch is a 400 {@link ValidationError}
 * whose details list every issue with its path.
 *
 * @example
 * ```ts
 * const body = parseInput(signupRequestSchema, request.body, 'request body');
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, what);
  return parsed.data;
}
