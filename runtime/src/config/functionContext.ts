import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from '@quanta/contracts/zod';
import { ConfigurationError } from '../errors';
import { createObservability, isTracingAvailable, type Observability } from '../observability/Observability';
import { ENV } from './environment';

/**
 * The variables every function of a quantum gets for its table (the plan sets them on every
 * function, in AWS and locally). Extend it with a function's own variables.
 *
 * @example
 * ```ts
 * const schema = z.extend(tableEnvironment, { DEADLINE_SECONDS: z.coerce.number().check(z.int()) });
 * ```
 */
export const tableEnvironment = z.object({
  [ENV.quantum]: z.string().check(z.minLength(1)),
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.ttlAttribute]: z._default(z.string().check(z.minLength(1)), 'expiresAt'),
});

/** What {@link tableEnvironment} parses to; a function's schema must produce at least this. */
export type TableEnvironment = z.infer<typeof tableEnvironment>;

/** How a function reaches its quantum's table: the client (traced when tracing is on) and the names. */
export interface TableConnection {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly ttlAttribute: string;
}

/** What a function's composition root starts from: its parsed environment, observability and table. */
export interface FunctionContext<E> {
  /** The environment, parsed once with the function's schema. */
  readonly env: E;
  /** Logger, metrics and tracer, named after the quantum. */
  readonly observability: Observability;
  /** The quantum's table. */
  readonly table: TableConnection;
}

/** Options of {@link functionContext}; tests replace the parts they observe. */
export interface FunctionContextOptions {
  /** Observability to use instead of new Powertools instances. @default built from the environment */
  readonly observability?: Observability;
  /** DynamoDB client to use. @default a new client, traced when tracing is on */
  readonly dynamoDb?: DynamoDBClient;
}

/**
 * The start of every function's composition root, in one call: parses the environment (failing the
 * cold start with a message that names each bad variable), builds the Powertools trio for the quantum
 * (tracing only where an X-Ray daemon exists) and connects to the quantum's table.
 *
 * @example
 * ```ts
 * const { env, observability, table } = functionContext(tableEnvironment, process.env);
 * const products = new DynamoDbProductRepository(table);
 * ```
 */
export function functionContext<S extends z.core.$ZodType<TableEnvironment>>(
  schema: S,
  processEnv: Readonly<Record<string, string | undefined>>,
  options: FunctionContextOptions = {},
): FunctionContext<z.infer<S>> {
  const env = parseEnvironment(schema, processEnv) as z.infer<S>;
  const observability =
    options.observability ??
    createObservability({ serviceName: env.QUANTUM, tracingEnabled: isTracingAvailable(processEnv) });
  const client = options.dynamoDb ?? observability.awsClient(new DynamoDBClient({}));
  return {
    env,
    observability,
    table: { client, tableName: env.TABLE_NAME, ttlAttribute: env.TTL_ATTRIBUTE },
  };
}

const SECRET = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;

/**
 * Parses a function's environment with a zod schema, once, in a handler's composition root.
 * Fails at cold start with a message naming every bad variable and its value, so a wiring mistake
 * never surfaces later as a confusing runtime error.
 *
 * @example
 * ```ts
 * const env = parseEnvironment(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }), process.env);
 * ```
 */
export function parseEnvironment<S extends z.core.$ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<S> {
  const parsed = z.safeParse(schema, env);
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
