import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from '@quanta/contracts/zod';
import type { TableConnection } from '@quanta/runtime/config';
import { transactWrite } from '@quanta/runtime/dynamodb';
import type { Room, RoomListPage, RoomRepository } from '../domain/RoomRepository';
import { chatKeys, ROOM_LIST_INDEX, ROOM_LIST_PARTITION } from './chatKeys';
import { decodeRoomCursor, encodeRoomCursor } from './roomCursor';

/** A room item as stored (parsed anyway, so a corrupt item fails loudly). */
const roomItemSchema = z.object({
  roomId: z.string(),
  name: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

/**
 * {@link RoomRepository} on chat's table: one item per room (`ROOM#<id>/ROOM`, listed through gsi1
 * `ROOMS`, sorted by `<createdAt>#<id>`) and its `seq` counter (`ROOM#<id>/SEQ`, `lastSeq = 0`),
 * created together. The counter is a separate item so that the thousands of writes it takes never
 * touch the list index.
 *
 * @example
 * ```ts
 * const { table } = functionContext(tableEnvironment, process.env);
 * const rooms = new DynamoDbRoomRepository(table);
 * const page = await rooms.list({ limit: 20 });
 * ```
 */
export class DynamoDbRoomRepository implements RoomRepository {
  readonly #table: TableConnection;

  constructor(table: TableConnection) {
    this.#table = table;
  }

  async create(room: Room): Promise<void> {
    const TableName = this.#table.tableName;
    await transactWrite(this.#table.client, [
      {
        Put: {
          TableName,
          Item: marshall({
            ...chatKeys.room(room.roomId),
            ...chatKeys.roomListing(room.createdAt, room.roomId),
            type: 'ROOM',
            ...room,
          }),
          // Ids are UUIDs: a collision must fail loudly rather than overwrite a room.
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName,
          Item: marshall({ ...chatKeys.counter(room.roomId), type: 'SEQ', lastSeq: 0 }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }

  async get(roomId: string): Promise<Room | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(chatKeys.room(roomId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : roomOfItem(unmarshall(Item));
  }

  async list(page: { readonly limit: number; readonly cursor?: string }): Promise<RoomListPage> {
    const start = page.cursor === undefined ? undefined : decodeRoomCursor(page.cursor);
    // One more than asked: if it exists there is a next page, so the last page never comes back
    // empty the way DynamoDB's own LastEvaluatedKey would make it.
    const { Items = [] } = await this.#table.client.send(
      new QueryCommand({
        TableName: this.#table.tableName,
        IndexName: ROOM_LIST_INDEX,
        KeyConditionExpression: 'gsi1pk = :rooms',
        ExpressionAttributeValues: marshall({ ':rooms': ROOM_LIST_PARTITION }),
        ExclusiveStartKey: start === undefined ? undefined : marshall(start),
        Limit: page.limit + 1,
      }),
    );
    const items = Items.slice(0, page.limit).map((i) => roomOfItem(unmarshall(i)));
    const last = items.at(-1);
    const hasMore = Items.length > page.limit && last !== undefined;
    return {
      items,
      ...(hasMore
        ? { nextCursor: encodeRoomCursor(chatKeys.roomListing(last.createdAt, last.roomId).gsi1sk) }
        : {}),
    };
  }
}

function roomOfItem(item: Record<string, unknown>): Room {
  const r = roomItemSchema.parse(item);
  return { roomId: r.roomId, name: r.name, createdBy: r.createdBy, createdAt: r.createdAt };
}
