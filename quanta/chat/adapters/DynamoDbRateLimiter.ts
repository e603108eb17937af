import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import { isConditionalCheckFailed } from '@quanta/runtime/dynamodb';
import { gcraParameters, type RateLimit, type RateLimiter } from '../domain/RateLimiter';
import { chatKeys } from './chatKeys';

/** Options of {@link DynamoDbRateLimiter}. */
export interface DynamoDbRateLimiterOptions {
  /** The rate of each key. */
  readonly limit: RateLimit;
  /** Clock (ms). @default Date.now */
  readonly now?: () => number;
}

/**
 * {@link RateLimiter} on chat's table: each key's token bucket is one item, `RATE#<key>/RATE`,
 * holding the GCRA theoretical arrival time `tat` (ms; see `gcra`). A decision is one or two
 * conditional updates and never a read, so concurrent invocations for one connection (API Gateway
 * invokes in parallel) share one bucket exactly:
 * 1. `tat` absent or in the past (a full bucket): `SET tat = now + interval`;
 * 2. otherwise, if `tat` is at most `burst - 1` intervals ahead: `SET tat = tat + interval`;
 * 3. otherwise the key is over its rate (nothing written).
 *
 * The item expires (TTL) once the bucket would be full again, so idle connections cost nothing.
 *
 * @example
 * ```ts
 * const limiter = new DynamoDbRateLimiter(table, { limit: { perSecond: 10, burst: 20 } });
 * if (!(await limiter.tryAcquire(connectionId))) reply({ type: 'error', code: 'RATE_LIMITED', message });
 * ```
 */
export class DynamoDbRateLimiter implements RateLimiter {
  readonly #table: TableConnection;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #now: () => number;

  constructor(table: TableConnection, options: DynamoDbRateLimiterOptions) {
    this.#table = table;
    ({ interval: this.#interval, tolerance: this.#tolerance } = gcraParameters(options.limit));
    this.#now = options.now ?? Date.now;
  }

  async tryAcquire(key: string): Promise<boolean> {
    const now = this.#now();
    // Past this instant the bucket is full again whatever was taken now: the item can go.
    const expiresAt = Math.ceil((now + this.#tolerance + this.#interval) / 1000) + 60;
    // Step 1 can only lose to a concurrent step 1 or 2, after which step 2 decides; a bucket that
    // expired in between sends us back to step 1, hence the short loop.
    for (let round = 0; round < 3; round++) {
      const fresh = await this.#update(
        key,
        'SET tat = :next, #ttl = :expiresAt',
        'attribute_not_exists(tat) OR tat <= :now',
        {
          ':next': now + this.#interval,
          ':now': now,
          ':expiresAt': expiresAt,
        },
      );
      if (fresh === true) return true;
      const ahead = await this.#update(
        key,
        'SET tat = tat + :interval, #ttl = :expiresAt',
        'tat > :now AND tat <= :limit',
        {
          ':interval': this.#interval,
          ':now': now,
          ':limit': now + this.#tolerance,
          ':expiresAt': expiresAt,
        },
      );
      if (ahead === true) return true;
      if (ahead !== undefined && ahead > now) return false;
    }
    // Three rounds lost to a bucket that keeps expiring and refilling: refuse this one frame.
    return false;
  }

  /**
   * One conditional update of the key's bucket: `true` when applied, otherwise the `tat` the failed
   * condition saw (`undefined`: no bucket).
   */
  async #update(
    key: string,
    update: string,
    condition: string,
    values: Record<string, number>,
  ): Promise<true | number | undefined> {
    try {
      await this.#table.client.send(
        new UpdateItemCommand({
          TableName: this.#table.tableName,
          Key: marshall(chatKeys.rate(key)),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#ttl': this.#table.ttlAttribute },
          ExpressionAttributeValues: marshall(values),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const item = (error as Error & { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const tat = item === undefined ? undefined : unmarshall(item).tat;
      return typeof tat === 'number' ? tat : undefined;
    }
  }
}
