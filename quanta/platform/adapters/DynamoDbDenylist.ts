import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailed } from '@quanta/runtime';
import type { Denylist } from '../domain/Denylist';
import { platformKeys } from './platformKeys';

/** Options of {@link DynamoDbDenylist}. */
export interface DynamoDbDenylistOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** TTL attribute: the entry disappears once no token of the session can be valid. @default 'expiresAt' */
  readonly ttlAttribute?: string;
}

/**
 * {@link Denylist} on the platform table: `DENY#<sessionId>/DENY` with the TTL set to the time the
 * session's last access token expires. Reads check the expiry themselves (TTL deletion is lazy).
 *
 * @example
 * ```ts
 * const denylist = new DynamoDbDenylist({ client, tableName: 'quanta-platform' });
 * await denylist.deny(sessionId, tokensValidUntil);
 * ```
 */
export class DynamoDbDenylist implements Denylist {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #ttl: string;

  constructor(options: DynamoDbDenylistOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#ttl = options.ttlAttribute ?? 'expiresAt';
  }

  async isDenied(sessionId: string, now: number): Promise<boolean> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: marshall(platformKeys.deny(sessionId)),
        // A revocation must take effect as soon as it is written, not when a replica catches up.
        ConsistentRead: true,
        ProjectionExpression: '#ttl',
        ExpressionAttributeNames: { '#ttl': this.#ttl },
      }),
    );
    const until = Item?.[this.#ttl]?.N;
    return until !== undefined && Number(until) > now;
  }

  async deny(sessionId: string, until: number): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: marshall({ ...platformKeys.deny(sessionId), sessionId, [this.#ttl]: until }),
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :until',
          ExpressionAttributeNames: { '#ttl': this.#ttl },
          ExpressionAttributeValues: marshall({ ':until': until }),
        }),
      );
    } catch (error) {
      // Already denied at least as long: nothing to do (this is what makes redelivery harmless).
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
