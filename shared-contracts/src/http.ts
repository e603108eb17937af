import * as z from './zod';

/** The only error body any HTTP route returns: `{ error: { code, message, details? } }`. */
export const errorBodySchema = z.object({
  error: z.object({
    /** Stable, machine-readable code in UPPER_SNAKE_CASE, e.g. `VALIDATION_FAILED`. */
    code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
    /** Human-readable; for 5xx always generic. */
    message: z.string(),
    /** Structured details (e.g. the fields that failed validation); never on 5xx. */
    details: z.optional(z.unknown()),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
