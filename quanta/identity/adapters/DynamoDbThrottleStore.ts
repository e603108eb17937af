import { GetItemCommand, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import { isConditionalCheckFailed } from '@quanta/runtime/dynamodb';
import { ServiceUnavailableError } from '@quanta/runtime/errors';
import type { AttemptClaim, ThrottleStore, WindowCount } from '../domain/Throttle';

/** Conditional updates retried when another writer changed the item between two of ours. */
const MAX_RACES = 3;

/**
 * {@link ThrottleStore} on identity's table: one item per counter, `THROTTLE#<key>/THROTTLE`, whose TTL
 * attribute is the end of what it remembers (a window's end, or the failure memory). Every operation
 * is a conditional `UpdateItem` on that one item, so concurrent attempts are counted exactly and at
 * most one of them opens a window or sets a lock. Reads never trust TTL deletion (it is eventual):
 * an item past its TTL counts as absent.
 *
 * @example
 * ```ts
 * const store = new DynamoDbThrottleStore(table); // functionContext(…).table
 * const { count, windowEndsAt } = await store.hit('signup-ip#203.0.113.9', 3600, nowSeconds);
 * ```
 */
export class DynamoDbThrottleStore implements ThrottleStore {
  readonly #table: TableConnection;

  /** @param table identity's table: counters expire through its TTL attribute */
  constructor(table: TableConnection) {
    this.#table = table;
  }

  async hit(key: string, windowSeconds: number, now: number): Promise<WindowCount> {
    for (let race = 0; race < MAX_RACES; race++) {
      const counted = await this.#update(key, {
        UpdateExpression: 'ADD hitCount :one',
        ConditionExpression: '#ttl > :now',
        values: { ':one': 1, ':now': now },
      });
      if (counted !== undefined)
        return { count: Number(counted.hitCount), windowEndsAt: Number(counted[this.#ttl]) };
      const opened = await this.#update(key, {
        UpdateExpression: 'SET hitCount = :one, #ttl = :end',
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
        values: { ':one': 1, ':now': now, ':end': now + windowSeconds },
      });
      if (opened !== undefined) return { count: 1, windowEndsAt: now + windowSeconds };
    }
    throw new ServiceUnavailableError(`Throttle counter ${key} kept changing under ${MAX_RACES} attempts`);
  }

  async claimAttempt(
    key: string,
    maxFailures: number,
    now: number,
    forgetAfterSeconds: number,
  ): Promise<AttemptClaim> {
    const forgetAt = now + forgetAfterSeconds;
    for (let race = 0; race < MAX_RACES; race++) {
      const counted = await this.#update(key, {
        UpdateExpression: 'SET failureCount = failureCount + :one, #ttl = :forgetAt',
        ConditionExpression:
          '#ttl > :now AND failureCount < :max AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
        values: { ':one': 1, ':now': now, ':max': maxFailures, ':forgetAt': forgetAt },
      });
      if (counted !== undefined) {
        return {
          granted: true,
          failures: Number(counted.failureCount),
          locks: Number(counted.lockCount ?? 0),
        };
      }
      const fresh = await this.#update(key, {
        UpdateExpression: 'SET failureCount = :one, lockCount = :zero, #ttl = :forgetAt REMOVE lockedUntil',
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
        values: { ':one': 1, ':zero': 0, ':now': now, ':forgetAt': forgetAt },
      });
      if (fresh !== undefined) return { granted: true, failures: 1, locks: 0 };
      const item = await this.#get(key);
      if (item === undefined) continue;
      const lockedUntil = Number(item.lockedUntil ?? 0);
      if (lockedUntil > now) return { granted: false, lockedUntil };
      // At the limit but not locked yet: the attempt that reached it is setting the lock right now.
      if (Number(item.failureCount) >= maxFailures) return { granted: false, lockedUntil: undefined };
    }
    return { granted: false, lockedUntil: undefined };
  }

  async lock(
    key: string,
    maxFailures: number,
    until: number,
    now: number,
    forgetAfterSeconds: number,
  ): Promise<boolean> {
    const locked = await this.#update(key, {
      UpdateExpression: 'SET lockedUntil = :until, failureCount = :zero, #ttl = :ttl ADD lockCount :one',
      ConditionExpression: 'failureCount >= :max',
      values: {
        ':until': until,
        ':zero': 0,
        ':one': 1,
        ':max': maxFailures,
        ':ttl': Math.max(until, now + forgetAfterSeconds),
      },
    });
    return locked !== undefined;
  }

  async clear(key: string): Promise<void> {
    await this.#update(key, {
      UpdateExpression: 'SET failureCount = :zero, lockCount = :zero REMOVE lockedUntil',
      ConditionExpression: 'attribute_exists(pk)',
      values: { ':zero': 0 },
    });
  }

  get #ttl(): string {
    return this.#table.ttlAttribute;
  }

  /** One conditional update; the item after it, or `undefined` when the condition was false. */
  async #update(
    key: string,
    update: {
      readonly UpdateExpression: string;
      readonly ConditionExpression: string;
      readonly values: Record<string, number>;
    },
  ): Promise<Record<string, unknown> | undefined> {
    const usesTtl = `${update.UpdateExpression} ${update.ConditionExpression}`.includes('#ttl');
    const input: UpdateItemCommandInput = {
      TableName: this.#table.tableName,
      Key: marshall(keyOf(key)),
      UpdateExpression: update.UpdateExpression,
      ConditionExpression: update.ConditionExpression,
      ExpressionAttributeValues: marshall(update.values),
      ...(usesTtl ? { ExpressionAttributeNames: { '#ttl': this.#ttl } } : {}),
      ReturnValues: 'ALL_NEW',
    };
    try {
      const { Attributes } = await this.#table.client.send(new UpdateItemCommand(input));
      return Attributes === undefined ? {} : unmarshall(Attributes);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async #get(key: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(keyOf(key)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : unmarshall(Item);
  }
}

function keyOf(key: string): { pk: string; sk: string } {
  return { pk: `THROTTLE#${key}`, sk: 'THROTTLE' };
}
