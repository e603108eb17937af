import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AuthorizerContext, authorizerContextSchema } from '@quanta/contracts/platform';
import type { TableConnection } from '@quanta/runtime/config';
import { isConditionalCheckFailed } from '@quanta/runtime/dynamodb';
import type { StoredTicket, TicketStore } from '../domain/TicketStore';

/** Key of a ticket in the platform table (`sk` fixed per item type). */
function ticketKey(ticketHash: string) {
  return { pk: `TICKET#${ticketHash}`, sk: 'TICKET' };
}

/**
 * {@link TicketStore} on the platform table: `TICKET#<sha256>/TICKET` with the caller and a TTL.
 * Consuming is one conditional `DeleteItem` returning the old item, so of two connections
 * presenting the same ticket exactly one gets the caller.
 *
 * @example
 * ```ts
 * const caller = await store.consume(ticketHash, nowSeconds);
 * ```
 */
export class DynamoDbTicketStore implements TicketStore {
  readonly #table: TableConnection;

  /** @param table the platform table: an unused ticket expires through its TTL attribute */
  constructor(table: TableConnection) {
    this.#table = table;
  }

  async save(ticket: StoredTicket): Promise<void> {
    await this.#table.client.send(
      new PutItemCommand({
        TableName: this.#table.tableName,
        Item: marshall({
          ...ticketKey(ticket.ticketHash),
          userId: ticket.caller.userId,
          sessionId: ticket.caller.sessionId,
          roles: [...ticket.caller.roles],
          [this.#table.ttlAttribute]: ticket.expiresAt,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consume(ticketHash: string, now: number): Promise<AuthorizerContext | undefined> {
    try {
      const { Attributes } = await this.#table.client.send(
        new DeleteItemCommand({
          TableName: this.#table.tableName,
          Key: marshall(ticketKey(ticketHash)),
          ConditionExpression: 'attribute_exists(pk) AND #ttl > :now',
          ExpressionAttributeNames: { '#ttl': this.#table.ttlAttribute },
          ExpressionAttributeValues: marshall({ ':now': now }),
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (Attributes === undefined) return undefined;
      const parsed = authorizerContextSchema.safeParse(unmarshall(Attributes));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}
