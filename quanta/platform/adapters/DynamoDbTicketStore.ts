import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AuthorizerContext, authorizerContextSchema } from '@quanta/contracts';
import { isConditionalCheckFailed } from '@quanta/runtime';
import type { StoredTicket } from '../domain/Ticket';
import type { TicketStore } from '../domain/TicketStore';
import { platformKeys } from './platformKeys';

/** Options of {@link DynamoDbTicketStore}. */
export interface DynamoDbTicketStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default 'expiresAt' */
  readonly ttlAttribute?: string;
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
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #ttl: string;

  constructor(options: DynamoDbTicketStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#ttl = options.ttlAttribute ?? 'expiresAt';
  }

  async save(ticket: StoredTicket): Promise<void> {
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: marshall({
          ...platformKeys.ticket(ticket.ticketHash),
          userId: ticket.caller.userId,
          sessionId: ticket.caller.sessionId,
          roles: [...ticket.caller.roles],
          [this.#ttl]: ticket.expiresAt,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consume(ticketHash: string, now: number): Promise<AuthorizerContext | undefined> {
    try {
      const { Attributes } = await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: marshall(platformKeys.ticket(ticketHash)),
          ConditionExpression: 'attribute_exists(pk) AND #ttl > :now',
          ExpressionAttributeNames: { '#ttl': this.#ttl },
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
