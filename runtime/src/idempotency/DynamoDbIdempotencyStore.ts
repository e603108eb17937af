import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailed } from '../dynamodb/transactWrite';
import { IdempotencyInProgressError } from '../errors';

/** Outcome of {@link IdempotencyStore.once}. */
export type IdempotencyOutcome = 'PROCESSED' | 'DUPLICATE';

/**
 * Port: runs a piece of work at most once per key (to completion), so an at-least-once consumer
 * has exactly-once effects. While one invocation holds a key, another gets an
 * `IdempotencyInProgressError` (retry later); if the work throws, the key is released.
 *
 * @example
 * ```ts
 * const outcome = await store.once(envelope.id, () => applyEvent(envelope)); // 'PROCESSED' | 'DUPLICATE'
 * ```
 */
export interface IdempotencyStore {
  once(key: string, work: () => Promise<void>): Promise<IdempotencyOutcome>;
}

/** Partition-key prefix of idempotency records. */
const IDEMPOTENCY_PREFIX = 'IDEMPOTENCY#';

/** Options of {@link DynamoDbIdempotencyStore}. */
export interface DynamoDbIdempotencyStoreOptions {
  readonly client: DynamoDBClient;
  /** The consuming quantum's own table. */
  readonly tableName: string;
  /** TTL attribute of the table. @default 'expiresAt' */
  readonly ttlAttribute?: string;
  /** How long a completed key is remembered; longer than any redelivery (queue retention + DLQ redrive). @default 14 days */
  readonly retentionSeconds?: number;
  /**
   * How long a claim blocks others before its holder is presumed dead. Make it a little longer than
   * the function timeout: shorter risks double work, much longer sends redeliveries of a crashed
   * message to the DLQ before the claim frees up. @default 120
   */
  readonly leaseSeconds?: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * {@link IdempotencyStore} on the quantum's table: a conditional put of
 * `pk = IDEMPOTENCY#<key>`, `sk = IDEMPOTENCY` claims the key (`IN_PROGRESS` with a lease), success
 * marks it `COMPLETED` (kept until its TTL), failure deletes the claim so a retry can run.
 * A claim whose lease has expired (the holder crashed) can be taken over.
 *
 * @example
 * ```ts
 * const store = new DynamoDbIdempotencyStore({ client, tableName: env.TABLE_NAME });
 * await store.once(event.id, () => denylist.deny(event.data.sessionId, until));
 * ```
 */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  readonly #options: Required<Omit<DynamoDbIdempotencyStoreOptions, 'client' | 'tableName'>> &
    Pick<DynamoDbIdempotencyStoreOptions, 'client' | 'tableName'>;

  constructor(options: DynamoDbIdempotencyStoreOptions) {
    this.#options = {
      ttlAttribute: 'expiresAt',
      retentionSeconds: 14 * 24 * 3600,
      leaseSeconds: 120,
      now: () => new Date(),
      ...options,
    };
  }

  async once(key: string, work: () => Promise<void>): Promise<IdempotencyOutcome> {
    const { client, tableName, ttlAttribute, retentionSeconds, leaseSeconds } = this.#options;
    const now = Math.floor(this.#options.now().getTime() / 1000);
    const Key = marshall({ pk: `${IDEMPOTENCY_PREFIX}${key}`, sk: 'IDEMPOTENCY' });
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall({
            pk: `${IDEMPOTENCY_PREFIX}${key}`,
            sk: 'IDEMPOTENCY',
            status: 'IN_PROGRESS',
            leaseUntil: now + leaseSeconds,
            [ttlAttribute]: now + retentionSeconds,
          }),
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({ ':inProgress': 'IN_PROGRESS', ':now': now }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await client.send(
        new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }),
      );
      if (existing.Item?.status?.S === 'COMPLETED') return 'DUPLICATE';
      throw new IdempotencyInProgressError(key, { cause: error });
    }
    try {
      await work();
    } catch (error) {
      // Release the claim so the retry of this message can do the work; keep the original error.
      await client
        .send(
          new DeleteItemCommand({
            TableName: tableName,
            Key,
            ConditionExpression: '#status = :inProgress',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':inProgress': 'IN_PROGRESS' }),
          }),
        )
        .catch(() => undefined);
      throw error;
    }
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key,
        UpdateExpression: 'SET #status = :completed REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({ ':completed': 'COMPLETED' }),
      }),
    );
    return 'PROCESSED';
  }
}
