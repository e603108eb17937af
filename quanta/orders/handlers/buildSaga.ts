import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { requestQueueUrlsFrom, SqsRequestSender } from '@quanta/runtime';
import { DynamoDbOrderRepository } from '../adapters/DynamoDbOrderRepository';
import { KmsCardVault } from '../adapters/KmsCardVault';
import { LocalCardVault } from '../adapters/LocalCardVault';
import { SqsSagaRequests } from '../adapters/SqsSagaRequests';
import type { CardVault } from '../domain/CardVault';
import { SagaCoordinator } from '../service/SagaCoordinator';
import type { SagaLog } from '../service/SagaLog';
import type { SagaEnvironment } from './ordersEnvironment';

/** Clients a composition root creates once per cold start. */
export interface SagaClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Only created when the card key is in KMS. */
  readonly kms: () => KMSClient;
}

/** The saga's wiring, shared by the `api`, `replies` and `sweeper` composition roots. */
export interface SagaWiring {
  readonly orders: DynamoDbOrderRepository;
  readonly vault: CardVault;
  readonly saga: SagaCoordinator;
}

/**
 * Wires the saga from a parsed environment: the DynamoDB repository, the card vault (KMS when
 * `ENCRYPTION_KEY_ARN` is set, the local AES key when `ENCRYPTION_KEY_LOCAL` is), the SQS request
 * sender to catalog and payments, and the coordinator.
 *
 * @example
 * ```ts
 * const { saga } = buildSaga(parseEnvironment(repliesEnvironmentSchema, process.env), clients, logger);
 * ```
 */
export function buildSaga(
  env: SagaEnvironment & { readonly IDEMPOTENCY_RETENTION_SECONDS?: number },
  clients: SagaClients,
  log: SagaLog,
): SagaWiring {
  const orders = new DynamoDbOrderRepository({
    client: clients.dynamodb,
    tableName: env.TABLE_NAME,
    ttlAttribute: env.TTL_ATTRIBUTE,
    ...(env.IDEMPOTENCY_RETENTION_SECONDS === undefined
      ? {}
      : { idempotencyRetentionSeconds: env.IDEMPOTENCY_RETENTION_SECONDS }),
  });
  const vault: CardVault =
    env.ENCRYPTION_KEY_LOCAL !== undefined
      ? LocalCardVault.fromBase64(env.ENCRYPTION_KEY_LOCAL)
      : new KmsCardVault({ client: clients.kms(), keyArn: env.ENCRYPTION_KEY_ARN ?? '' });
  const requests = new SqsSagaRequests(
    new SqsRequestSender({
      client: clients.sqs,
      requester: 'orders',
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
    log,
  });
  return { orders, vault, saga };
}
