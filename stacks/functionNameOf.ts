import { SynthError } from './errors';

/** Lambda's limit on function names. */
const MAX_FUNCTION_NAME_LENGTH = 64;

/**
 * The deterministic Lambda function name of a quantum's function: `${prefix}-${quantum}-${kebab(fn)}`.
 * The platform integrates a quantum's `api` (and chat's `ws`) function by ARN, so these names are
 * a contract between stacks, like every name from `namesOf()`.
 *
 * @example
 * ```ts
 * functionNameOf('quanta', 'identity', 'outboxRelay'); // 'quanta-identity-outbox-relay'
 * ```
 */
export function functionNameOf(prefix: string, quantum: string, fn: string): string {
  const kebab = fn.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const name = `${prefix}-${quantum}-${kebab}`;
  if (name.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new SynthError(
      `Function name '${name}' (quantum '${quantum}', function '${fn}') is ${name.length} characters; Lambda allows ${MAX_FUNCTION_NAME_LENGTH}. Shorten the prefix, the quantum or the function name.`,
    );
  }
  return name;
}
