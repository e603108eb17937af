import { ENV } from '@quanta/runtime/manifest';
import { z } from 'zod';

const seconds = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const base64Key256 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').byteLength === 32, 'must be a base64 256-bit (32-byte) key');

const tableEnvironment = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.ttlAttribute]: z.string().min(1).default('expiresAt'),
});

/** What every function that runs the saga needs: the table, the request queues, the card key. */
const sagaEnvironment = tableEnvironment.extend({
  REQUEST_QUEUE_URL_CATALOG: z.string().min(1),
  REQUEST_QUEUE_URL_PAYMENTS: z.string().min(1),
  [ENV.encryptionKeyArn]: z.string().min(1).optional(),
  [ENV.encryptionKeyLocal]: base64Key256.optional(),
  /** First re-send of an unacknowledged compensation after this many seconds (then doubling). */
  COMPENSATION_RETRY_SECONDS: seconds(60),
  /** Deadline of ReleaseStock/RefundPayment: they must be applied however late. */
  COMPENSATION_DEADLINE_SECONDS: seconds(86_400, 60),
});

function withOneCardKey<
  S extends z.ZodType<{ ENCRYPTION_KEY_ARN?: string | undefined; ENCRYPTION_KEY_LOCAL?: string | undefined }>,
>(schema: S): S {
  return schema.refine(
    (env) => (env.ENCRYPTION_KEY_ARN === undefined) !== (env.ENCRYPTION_KEY_LOCAL === undefined),
    {
      message: 'set exactly one of ENCRYPTION_KEY_ARN (KMS) or ENCRYPTION_KEY_LOCAL (local key)',
      path: [ENV.encryptionKeyArn],
    },
  );
}

/**
 * Environment of orders' `api` function (set by the CDK stack and the local cloud from the manifest;
 * orders' own settings can be overridden per deployment in cdk.json `quanta:environment`).
 */
export const apiEnvironmentSchema = withOneCardKey(
  sagaEnvironment.extend({
    AWS_REGION: z.string().min(1),
    FACADE_URL_CATALOG: z.url(),
    /** Whole-call timeout of catalog's facade: POST /orders answers 503 after it, never hangs. */
    FACADE_TIMEOUT_MS: z.coerce.number().int().min(50).max(29_000).default(2000),
    /** Consecutive facade failures that open the circuit. */
    FACADE_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
    /** How long the circuit stays open before a trial call. */
    FACADE_RESET_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** Seconds from placement until the saga must have ended. */
    ORDER_DEADLINE_SECONDS: seconds(120, 5),
    /** How long an Idempotency-Key is remembered. */
    IDEMPOTENCY_RETENTION_SECONDS: seconds(86_400, 60),
  }),
);
export type ApiEnvironment = z.infer<typeof apiEnvironmentSchema>;

/** Environment of orders' `replies` function (the saga's reply consumer). */
export const repliesEnvironmentSchema = withOneCardKey(sagaEnvironment);
export type RepliesEnvironment = z.infer<typeof repliesEnvironmentSchema>;

/** Environment of orders' `sweeper` function (scheduled). */
export const sweeperEnvironmentSchema = withOneCardKey(
  sagaEnvironment.extend({
    /** Most orders one sweep handles (expired ones first, then due compensations). */
    SWEEP_BATCH_LIMIT: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Orders one sweep handles at once. */
    SWEEP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  }),
);
export type SweeperEnvironment = z.infer<typeof sweeperEnvironmentSchema>;

/** What every saga function's environment has in common (what `buildSaga` reads). */
export type SagaEnvironment = z.infer<typeof sagaEnvironment>;

/** Environment of orders' `productRenamed` function. */
export const productRenamedEnvironmentSchema = tableEnvironment;
export type ProductRenamedEnvironment = z.infer<typeof productRenamedEnvironmentSchema>;
