import type { z } from 'zod';
import { ConfigurationError } from '../errors';

const SECRET = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;

/**
 * Parses a function's environment with a zod schema, once, in a handler's composition root.
 * Fails at cold start with a message naming every bad variable and its value, so a wiring mistake
 * never surfaces later as a confusing runtime error.
 *
 * @example
 * ```ts
 * const env = parseEnvironment(z.object({ TABLE_NAME: z.string().min(1) }), process.env);
 * ```
 */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    const variable = String(issue.path[0]);
    const value = env[variable];
    // Show the bad value (it is what the reader needs), except for secrets such as private keys.
    const shown =
      value === undefined ? 'nothing' : SECRET.test(variable) ? '<redacted>' : JSON.stringify(value);
    return `${name}: ${issue.message} (got ${shown})`;
  });
  throw new ConfigurationError(`Function environment is invalid: ${problems.join('; ')}`, {
    cause: parsed.error,
  });
}
