import { type AttributeValue, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import * as z from '@quanta/contracts/zod';
import type { TableConnection } from '@quanta/runtime/config';
import { transactionCancellationReasons, transactWrite } from '@quanta/runtime/dynamodb';
import { ServiceUnavailableError } from '@quanta/runtime/errors';
import { outboxPut } from '@quanta/runtime/events';
import type { AppendResult, Message, MessageLog, MessageSlice } from '../domain/MessageLog';
import { chatKeys, messageSortKey, roomPartition } from './chatKeys';

/** A message item as stored (parsed anyway, so a corrupt item fails loudly). */
const messageItemSchema = z.object({
  roomId: z.string(),
  seq: z.number().check(z.int()),
  messageId: z.string(),
  userId: z.string(),
  displayName: z.string(),
  text: z.string(),
  sentAt: z.string(),
});
const counterItemSchema = z.object({ lastSeq: z.number().check(z.int(), z.minimum(0)) });
const clientMessageIdItemSchema = z.object({ messageId: z.string(), seq: z.number().check(z.int()) });

/** Options of {@link DynamoDbMessageLog}. */
export interface DynamoDbMessageLogOptions {
  /**
   * How long a sender's `clientMessageId` is remembered: a re-send within it is acknowledged with
   * the original, a later one is a new message. @default 7 days
   */
  readonly clientMessageIdRetentionSeconds?: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * {@link MessageLog} on chat's table. A room's messages are `ROOM#<id>/MSG#<seq, 16 digits>` items,
 * so the history is one `Query` in `seq` order; its last `seq` is the counter item `ROOM#<id>/SEQ`.
 *
 * An append is one `TransactWriteItems` of four writes, all or nothing:
 * 1. the counter `SET lastSeq = :seq` if `lastSeq = :seq - 1` (the optimistic lock that makes `seq`
 *    gapless: a message can only take the number right after the last committed one);
 * 2. the message, if that `seq` is free;
 * 3. `ROOM#<id>/CMID#<userId>#<clientMessageId>` → `{ messageId, seq }`, if the sender never used the
 *    id in the room (expires after the retention);
 * 4. the `MessagePosted` outbox item.
 *
 * Failed checks return the item they saw (`ALL_OLD`): a lost race learns the new `lastSeq`, and a
 * duplicate its original, without another read.
 *
 * @example
 * ```ts
 * const messages = new DynamoDbMessageLog(table);
 * const result = await messages.append(message, 'c-1', event); // { kind: 'APPENDED' } | …
 * ```
 */
export class DynamoDbMessageLog implements MessageLog {
  readonly #table: TableConnection;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;

  constructor(table: TableConnection, options: DynamoDbMessageLogOptions = {}) {
    this.#table = table;
    this.#retentionSeconds = options.clientMessageIdRetentionSeconds ?? 7 * 24 * 3600;
    this.#now = options.now ?? (() => new Date());
  }

  async lastSeq(roomId: string): Promise<number | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(chatKeys.counter(roomId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : counterItemSchema.parse(unmarshall(Item)).lastSeq;
  }

  async append(message: Message, clientMessageId: string, event: AnyEventEnvelope): Promise<AppendResult> {
    const { tableName: TableName, ttlAttribute } = this.#table;
    const expiresAt = Math.floor(this.#now().getTime() / 1000) + this.#retentionSeconds;
    try {
      await transactWrite(
        this.#table.client,
        [
          {
            Update: {
              TableName,
              Key: marshall(chatKeys.counter(message.roomId)),
              UpdateExpression: 'SET lastSeq = :seq',
              ConditionExpression: 'lastSeq = :previous',
              ExpressionAttributeValues: marshall({ ':seq': message.seq, ':previous': message.seq - 1 }),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Put: {
              TableName,
              Item: marshall({
                ...chatKeys.message(message.roomId, message.seq),
                type: 'MESSAGE',
                ...message,
                clientMessageId,
              }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: marshall({
                ...chatKeys.clientMessageId(message.roomId, message.userId, clientMessageId),
                type: 'CMID',
                messageId: message.messageId,
                seq: message.seq,
                [ttlAttribute]: expiresAt,
              }),
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          outboxPut(event, this.#table),
        ],
        // Conflicts are lost races like any other: a few quick retries, then the service re-reads.
        { maxAttempts: 3 },
      );
      return { kind: 'APPENDED' };
    } catch (error) {
      return this.#rejection(error, message, clientMessageId);
    }
  }

  async history(roomId: string, after: number, limit: number): Promise<MessageSlice> {
    // No seq is above the largest one a sort key holds; asking past it is an empty page, not a
    // BETWEEN whose bounds DynamoDB refuses (lower above upper).
    if (after >= Number.MAX_SAFE_INTEGER) return { items: [], hasMore: false };
    // One more than asked: whether more follow is known without a second query.
    const { Items = [] } = await this.#table.client.send(
      new QueryCommand({
        TableName: this.#table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: marshall({
          ':pk': roomPartition(roomId),
          ':from': messageSortKey(after + 1),
          ':to': messageSortKey(Number.MAX_SAFE_INTEGER),
        }),
        ConsistentRead: true,
        Limit: limit + 1,
      }),
    );
    return {
      items: Items.slice(0, limit).map((i) => messageOfItem(unmarshall(i))),
      hasMore: Items.length > limit,
    };
  }

  /** What a failed append found instead of what it expected; rethrows anything that is not a lost race. */
  async #rejection(error: unknown, message: Message, clientMessageId: string): Promise<AppendResult> {
    if (error instanceof ServiceUnavailableError) {
      // Still conflicting with other transactions on the counter after transactWrite's retries.
      const lastSeq = await this.lastSeq(message.roomId);
      return lastSeq === undefined ? { kind: 'ROOM_NOT_FOUND' } : { kind: 'SEQ_TAKEN', lastSeq };
    }
    const reasons = cancellationReasonsOf(error);
    if (reasons === undefined) throw error;
    const [counter, stored, duplicate] = reasons;
    if (duplicate?.Code === 'ConditionalCheckFailed') {
      const original =
        duplicate.Item === undefined
          ? await this.#clientMessageId(message.roomId, message.userId, clientMessageId)
          : clientMessageIdItemSchema.parse(unmarshall(duplicate.Item));
      // The record expired between the check and this read: the id is free again; a new round takes it.
      if (original === undefined) return this.#seqTaken(message.roomId);
      return { kind: 'DUPLICATE', original: { messageId: original.messageId, seq: original.seq } };
    }
    if (counter?.Code === 'ConditionalCheckFailed') {
      // A failed check on a missing counter returns no item: the room does not exist (confirmed by a read).
      if (counter.Item !== undefined) {
        return { kind: 'SEQ_TAKEN', lastSeq: counterItemSchema.parse(unmarshall(counter.Item)).lastSeq };
      }
      return this.#seqTaken(message.roomId);
    }
    if (stored?.Code === 'ConditionalCheckFailed') return this.#seqTaken(message.roomId);
    // Cancelled for another reason (throttling, validation): not a decision the service can take.
    throw error;
  }

  async #seqTaken(roomId: string): Promise<AppendResult> {
    const lastSeq = await this.lastSeq(roomId);
    return lastSeq === undefined ? { kind: 'ROOM_NOT_FOUND' } : { kind: 'SEQ_TAKEN', lastSeq };
  }

  async #clientMessageId(
    roomId: string,
    userId: string,
    clientMessageId: string,
  ): Promise<z.infer<typeof clientMessageIdItemSchema> | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(chatKeys.clientMessageId(roomId, userId, clientMessageId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : clientMessageIdItemSchema.parse(unmarshall(Item));
  }
}

function messageOfItem(item: Record<string, unknown>): Message {
  const m = messageItemSchema.parse(item);
  return {
    roomId: m.roomId,
    seq: m.seq,
    messageId: m.messageId,
    userId: m.userId,
    displayName: m.displayName,
    text: m.text,
    sentAt: m.sentAt,
  };
}

/** One entry of a cancelled transaction's `CancellationReasons`, with the item its check saw. */
interface CancellationReason {
  readonly Code?: string;
  readonly Item?: Record<string, AttributeValue>;
}

/**
 * The `CancellationReasons` of a cancelled `TransactWriteItems` with the items the failed checks saw
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`); `undefined` for any other error. (The runtime's
 * `transactionCancellationReasons` gives the codes only.)
 */
function cancellationReasonsOf(error: unknown): readonly CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const detailed = (error as Error & { CancellationReasons?: readonly CancellationReason[] })
    .CancellationReasons;
  // Some engines only list the codes in the message: no items then, the caller reads instead.
  return detailed ?? transactionCancellationReasons(error)?.map((Code) => ({ Code }));
}
