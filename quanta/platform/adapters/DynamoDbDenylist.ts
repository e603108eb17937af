import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import { isConditionalCheckFailed } from '@quanta/runtime/dynamodb';
import type { Denylist } from '../domain/Denylist';

/** Key of a session's denylist entry in the platform table (`sk` fixed per item type). */
function denyKey(sessionId: string) {
  return { pk: `DENY#${sessionId}`, sk: 'DENY' };
}

/**
 * {@link Denylist} on the platform table: `DENY#<sessionId>/DENY` with the TTL set to the time the
 * session's last access token expires. Reads check the expiry themselves (TTL deletion is lazy).
 *
 * @example
 * ```ts
 * const denylist = new DynamoDbDenylist(table); // functionContext(…).table
 * await denylist.deny(sessionId, tokensValidUntil);
 * ```
 */
export class DynamoDbDenylist implements Denylist {
  readonly #table: TableConnection;

  /** @param table the platform table: an entry expires through its TTL attribute once no token of the session can be valid */
  constructor(table: TableConnection) {
    this.#table = table;
  }

  async isDenied(sessionId: string, now: number): Promise<boolean> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(denyKey(sessionId)),
        // A revocation must take effect as soon as it is written, not when a replica catches up.
        ConsistentRead: true,
        ProjectionExpression: '#ttl',
        ExpressionAttributeNames: { '#ttl': this.#table.ttlAttribute },
      }),
    );
    const until = Item?.[this.#table.ttlAttribute]?.N;
    return until !== undefined && Number(until) > now;
  }

  async deny(sessionId: string, until: number): Promise<void> {
    try {
      await this.#table.client.send(
        new PutItemCommand({
          TableName: this.#table.tableName,
          Item: marshall({ ...denyKey(sessionId), sessionId, [this.#table.ttlAttribute]: until }),
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :until',
          ExpressionAttributeNames: { '#ttl': this.#table.ttlAttribute },
          ExpressionAttributeValues: marshall({ ':until': until }),
        }),
      );
    } catch (error) {
      // Already denied at least as long: nothing to do (this is what makes redelivery harmless).
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
