import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from '@quanta/contracts/zod';
import type { TableConnection } from '@quanta/runtime/config';
import { transactionCancellationReasons, transactWrite } from '@quanta/runtime/dynamodb';
import { ServiceUnavailableError } from '@quanta/runtime/errors';
import type { Connection } from '../domain/Connection';
import type { ConnectionRepository, JoinResult } from '../domain/ConnectionRepository';
import {
  BY_SESSION_INDEX,
  BY_USER_INDEX,
  chatKeys,
  MEMBER_PREFIX,
  roomPartition,
  sessionConnections,
  userConnections,
} from './chatKeys';

/** A connection item as stored (`rooms` is a string set, absent when empty). */
const connectionItemSchema = z.object({
  connectionId: z.string(),
  userId: z.string(),
  sessionId: z.string(),
  displayName: z.string(),
  connectedAt: z.string(),
  rooms: z.optional(z.set(z.string())),
});

/** Options of {@link DynamoDbConnectionRepository}. */
export interface DynamoDbConnectionRepositoryOptions {
  /**
   * How long a connection and its memberships are kept after it opens, in case `$disconnect` never
   * comes: longer than API Gateway's 2-hour connection limit. @default 3 hours
   */
  readonly retentionSeconds?: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** BatchWriteItem takes at most 25 requests per call. */
const MAX_BATCH_WRITE = 25;

/**
 * {@link ConnectionRepository} on chat's table:
 * - a connection is `CONN#<id>/CONN`, indexed by user (gsi1 `USER#<userId>`) and by session (gsi2
 *   `SESSION#<sessionId>`), with the rooms it joined as a string set;
 * - a membership is `ROOM#<roomId>/MEMBER#<connectionId>`, in the room's partition, so a room's
 *   members are one strongly consistent `Query`.
 *
 * A join writes both sides in one transaction, conditioned on the room and the connection existing,
 * so a removed connection never gets a membership back. Both expire (TTL) after `retentionSeconds`.
 *
 * @example
 * ```ts
 * const connections = new DynamoDbConnectionRepository(table);
 * await connections.join('Abc=', 'r-1', 50); // 'JOINED'
 * await connections.members('r-1'); // ['Abc=']
 * ```
 */
export class DynamoDbConnectionRepository implements ConnectionRepository {
  readonly #table: TableConnection;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;

  constructor(table: TableConnection, options: DynamoDbConnectionRepositoryOptions = {}) {
    this.#table = table;
    this.#retentionSeconds = options.retentionSeconds ?? 3 * 3600;
    this.#now = options.now ?? (() => new Date());
  }

  async save(connection: Connection): Promise<void> {
    const { rooms, ...fields } = connection;
    await this.#table.client.send(
      new PutItemCommand({
        TableName: this.#table.tableName,
        Item: marshall(
          {
            ...chatKeys.connection(connection.connectionId),
            ...chatKeys.connectionIndexes(connection.userId, connection.sessionId, connection.connectionId),
            type: 'CONNECTION',
            ...fields,
            ...(rooms.length === 0 ? {} : { rooms: new Set(rooms) }),
            [this.#table.ttlAttribute]: this.#expiresAt(),
          },
          { removeUndefinedValues: true },
        ),
      }),
    );
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(chatKeys.connection(connectionId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : connectionOfItem(Item);
  }

  async remove(connectionId: string): Promise<Connection | undefined> {
    // Deleting first (returning what was deleted) closes the door on a concurrent join: its
    // transaction requires the connection, so no membership can appear after this.
    const { Attributes } = await this.#table.client.send(
      new DeleteItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(chatKeys.connection(connectionId)),
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (Attributes === undefined) return undefined;
    const connection = connectionOfItem(Attributes);
    await this.#deleteAll(
      connection.rooms.map((roomId) => marshall(chatKeys.membership(roomId, connectionId))),
    );
    return connection;
  }

  async join(connectionId: string, roomId: string, maxRooms: number): Promise<JoinResult> {
    const TableName = this.#table.tableName;
    try {
      await transactWrite(this.#table.client, [
        {
          ConditionCheck: {
            TableName,
            Key: marshall(chatKeys.counter(roomId)),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Update: {
            TableName,
            Key: marshall(chatKeys.connection(connectionId)),
            UpdateExpression: 'ADD rooms :room',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(rooms) OR size(rooms) < :max OR contains(rooms, :roomId))',
            ExpressionAttributeValues: marshall({
              ':room': new Set([roomId]),
              ':roomId': roomId,
              ':max': maxRooms,
            }),
          },
        },
        {
          Put: {
            TableName,
            Item: marshall({
              ...chatKeys.membership(roomId, connectionId),
              type: 'MEMBERSHIP',
              roomId,
              connectionId,
              [this.#table.ttlAttribute]: this.#expiresAt(),
            }),
          },
        },
      ]);
      return 'JOINED';
    } catch (error) {
      const [room, connection] = transactionCancellationReasons(error) ?? [];
      if (room === 'ConditionalCheckFailed') return 'ROOM_NOT_FOUND';
      if (connection === 'ConditionalCheckFailed') {
        return (await this.get(connectionId)) === undefined ? 'UNKNOWN_CONNECTION' : 'TOO_MANY_ROOMS';
      }
      throw error;
    }
  }

  async leave(connectionId: string, roomId: string): Promise<void> {
    const TableName = this.#table.tableName;
    const membership = { Delete: { TableName, Key: marshall(chatKeys.membership(roomId, connectionId)) } };
    try {
      await transactWrite(this.#table.client, [
        {
          Update: {
            TableName,
            Key: marshall(chatKeys.connection(connectionId)),
            UpdateExpression: 'DELETE rooms :room',
            // Without it, an update of a removed connection would create a stub item.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: marshall({ ':room': new Set([roomId]) }),
          },
        },
        membership,
      ]);
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] !== 'ConditionalCheckFailed') throw error;
      await this.#table.client.send(new DeleteItemCommand(membership.Delete));
    }
  }

  async members(roomId: string): Promise<string[]> {
    return this.#queryIds({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: marshall({ ':pk': roomPartition(roomId), ':member': MEMBER_PREFIX }),
      // The room's own partition: a membership stored a moment ago is already seen.
      ConsistentRead: true,
    });
  }

  async byUser(userId: string): Promise<string[]> {
    return this.#queryIds({
      IndexName: BY_USER_INDEX,
      KeyConditionExpression: 'gsi1pk = :user',
      ExpressionAttributeValues: marshall({ ':user': userConnections(userId) }),
    });
  }

  async bySession(sessionId: string): Promise<string[]> {
    return this.#queryIds({
      IndexName: BY_SESSION_INDEX,
      KeyConditionExpression: 'gsi2pk = :session',
      ExpressionAttributeValues: marshall({ ':session': sessionConnections(sessionId) }),
    });
  }

  /** Every `connectionId` a query finds, page after page. */
  async #queryIds(query: Omit<QueryCommandInput, 'TableName'>): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#table.client.send(
        new QueryCommand({
          ...query,
          TableName: this.#table.tableName,
          ProjectionExpression: 'connectionId',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const { connectionId } = unmarshall(item);
        if (typeof connectionId === 'string') ids.push(connectionId);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return ids;
  }

  /** Deletes every key, 25 per call, retrying with backoff what DynamoDB leaves unprocessed. */
  async #deleteAll(keys: readonly Record<string, AttributeValue>[], maxRounds = 5): Promise<void> {
    const { client, tableName } = this.#table;
    for (let i = 0; i < keys.length; i += MAX_BATCH_WRITE) {
      let pending: WriteRequest[] = keys
        .slice(i, i + MAX_BATCH_WRITE)
        .map((Key) => ({ DeleteRequest: { Key } }));
      for (let round = 1; pending.length > 0; round++) {
        if (round > maxRounds) {
          throw new ServiceUnavailableError(`${pending.length} deletes in ${tableName} stayed unprocessed`);
        }
        if (round > 1) await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** round));
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = UnprocessedItems?.[tableName] ?? [];
      }
    }
  }

  #expiresAt(): number {
    return Math.floor(this.#now().getTime() / 1000) + this.#retentionSeconds;
  }
}

function connectionOfItem(item: Record<string, AttributeValue>): Connection {
  const c = connectionItemSchema.parse(unmarshall(item));
  return {
    connectionId: c.connectionId,
    userId: c.userId,
    sessionId: c.sessionId,
    displayName: c.displayName,
    connectedAt: c.connectedAt,
    rooms: [...(c.rooms ?? [])].sort(),
  };
}
