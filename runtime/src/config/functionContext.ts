import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { createObservability, isTracingAvailable, type Observability } from '../observability/Observability';
import { ENV } from './environment';
import { parseEnvironment } from './parseEnvironment';

/**
 * The variables every function of a quantum gets for its table (the plan sets them on every
 * function, in AWS and locally). Extend it with a function's own variables.
 *
 * @example
 * ```ts
 * const schema = tableEnvironment.extend({ ORDER_DEADLINE_SECONDS: z.coerce.number().int().positive() });
 * ```
 */
export const tableEnvironment = z.object({
  [ENV.quantum]: z.string().min(1),
  [ENV.tableName]: z.string().min(1),
  [ENV.ttlAttribute]: z.string().min(1).default('expiresAt'),
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
export function functionContext<S extends z.ZodType<TableEnvironment>>(
  schema: S,
  processEnv: Readonly<Record<string, string | undefined>>,
  options: FunctionContextOptions = {},
): FunctionContext<z.infer<S>> {
  const env = parseEnvironment(schema, processEnv) as z.infer<S>;
  const observability =
    options.observability ??
    createObservability({ serviceName: env.QUANTUM, tracingEnabled: isTracingAvailable(processEnv) });
  const client = options.dynamoDb ?? observability.tracer.captureAWSv3Client(new DynamoDBClient({}));
  return {
    env,
    observability,
    table: { client, tableName: env.TABLE_NAME, ttlAttribute: env.TTL_ATTRIBUTE },
  };
}
