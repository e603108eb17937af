import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from '@quanta/contracts/zod';
import { ENV, type FunctionContext, tableEnvironment } from '@quanta/runtime/config';
import { requestQueueUrlsFrom, SqsRequestSender } from '@quanta/runtime/messaging';
import { DynamoDbOrderRepository } from '../adapters/DynamoDbOrderRepository';
import { KmsCardVault } from '../adapters/KmsCardVault';
import { LocalCardVault } from '../adapters/LocalCardVault';
import { SqsSagaRequests } from '../adapters/SqsSagaRequests';
import type { CardVault } from '../domain/CardVault';
import { SagaCoordinator } from '../service/SagaCoordinator';

const seconds = (fallback: number, min = 1) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min)), fallback);

const base64Key256 = z
  .string()
  .check(
    z.refine((v) => Buffer.from(v, 'base64').byteLength === 32, 'must be a base64 256-bit (32-byte) key'),
  );

/** What every function that runs the saga needs: the table, the request queues, the card key. */
const sagaEnvironment = z.extend(tableEnvironment, {
  REQUEST_QUEUE_URL_CATALOG: z.string().check(z.minLength(1)),
  REQUEST_QUEUE_URL_PAYMENTS: z.string().check(z.minLength(1)),
  [ENV.encryptionKeyArn]: z.optional(z.string().check(z.minLength(1))),
  [ENV.encryptionKeyLocal]: z.optional(base64Key256),
  /** First re-send of an unacknowledged compensation after this many seconds (then doubling). */
  COMPENSATION_RETRY_SECONDS: seconds(60),
  /** Deadline of ReleaseStock/RefundPayment: they must be applied however late. */
  COMPENSATION_DEADLINE_SECONDS: seconds(86_400, 60),
});

/** What every saga function's environment has in common (what {@link sagaOf} reads). */
type SagaEnvironment = z.infer<typeof sagaEnvironment>;

function withOneCardKey<
  S extends z.ZodMiniType<{
    ENCRYPTION_KEY_ARN?: string | undefined;
    ENCRYPTION_KEY_LOCAL?: string | undefined;
  }>,
>(schema: S): S {
  return schema.check(
    z.refine((env) => (env.ENCRYPTION_KEY_ARN === undefined) !== (env.ENCRYPTION_KEY_LOCAL === undefined), {
      message: 'set exactly one of ENCRYPTION_KEY_ARN (KMS) or ENCRYPTION_KEY_LOCAL (local key)',
      path: [ENV.encryptionKeyArn],
    }),
  );
}

/**
 * Environment of orders' `api` function (set by the CDK stack and the local cloud from the manifest;
 * orders' own settings can be overridden per deployment in cdk.json `quanta:environment`).
 */
export const apiEnvironment = withOneCardKey(
  z.extend(sagaEnvironment, {
    AWS_REGION: z.string().check(z.minLength(1)),
    FACADE_URL_CATALOG: z.url(),
    /** Whole-call timeout of catalog's facade: POST /orders answers 503 after it, never hangs. */
    FACADE_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(50), z.maximum(29_000)), 2000),
    /** Consecutive facade failures that open the circuit. */
    FACADE_FAILURE_THRESHOLD: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 5),
    /** How long the circuit stays open before a trial call. */
    FACADE_RESET_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100)), 10_000),
    /** Seconds from placement until the saga must have ended. */
    ORDER_DEADLINE_SECONDS: seconds(120, 5),
    /** How long an Idempotency-Key is remembered. */
    IDEMPOTENCY_RETENTION_SECONDS: seconds(86_400, 60),
  }),
);

/** Environment of orders' `replies` function (the saga's reply consumer). */
export const repliesEnvironment = withOneCardKey(sagaEnvironment);

/** Environment of orders' `sweeper` function (scheduled). */
export const sweeperEnvironment = withOneCardKey(
  z.extend(sagaEnvironment, {
    /** Most orders one sweep handles (expired ones first, then due compensations). */
    SWEEP_BATCH_LIMIT: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 500),
    /** Orders one sweep handles at once. */
    SWEEP_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(64)), 8),
  }),
);

/** The saga's parts, shared by the `api`, `replies` and `sweeper` composition roots. */
export interface SagaWiring {
  readonly orders: DynamoDbOrderRepository;
  readonly vault: CardVault;
  readonly saga: SagaCoordinator;
}

/**
 * Wires the saga of a function from its context: the order repository on the quantum's table, the
 * card vault (the local AES key when `ENCRYPTION_KEY_LOCAL` is set, else KMS), the SQS request
 * sender to catalog and payments, and the coordinator, which logs through the function's logger.
 *
 * @example
 * ```ts
 * const { saga } = sagaOf(functionContext(repliesEnvironment, process.env));
 * ```
 */
export function sagaOf(
  context: FunctionContext<SagaEnvironment & { readonly IDEMPOTENCY_RETENTION_SECONDS?: number }>,
): SagaWiring {
  const { env, observability, table } = context;
  const orders = new DynamoDbOrderRepository(table, {
    idempotencyRetentionSeconds: env.IDEMPOTENCY_RETENTION_SECONDS,
  });
  const vault: CardVault =
    env.ENCRYPTION_KEY_LOCAL !== undefined
      ? LocalCardVault.fromBase64(env.ENCRYPTION_KEY_LOCAL)
      : new KmsCardVault({
          client: observability.awsClient(new KMSClient({})),
          keyArn: env.ENCRYPTION_KEY_ARN ?? '',
        });
  const requests = new SqsSagaRequests(
    new SqsRequestSender({
      client: observability.awsClient(new SQSClient({})),
      requester: env.QUANTUM,
      queueUrls: requestQueueUrlsFrom({
        REQUEST_QUEUE_URL_CATALOG: env.REQUEST_QUEUE_URL_CATALOG,
        REQUEST_QUEUE_URL_PAYMENTS: env.REQUEST_QUEUE_URL_PAYMENTS,
      }),
    }),
  );
  const saga = new SagaCoordinator({
    orders,
    requests,
    vault,
    compensationRetrySeconds: env.COMPENSATION_RETRY_SECONDS,
    compensationDeadlineSeconds: env.COMPENSATION_DEADLINE_SECONDS,
    log: observability.logger,
  });
  return { orders, vault, saga };
}
