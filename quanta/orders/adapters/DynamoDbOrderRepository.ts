import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { cancellationReasonSchema, orderStatusSchema } from '@quanta/contracts/orders';
import * as z from '@quanta/contracts/zod';
import type { TableConnection } from '@quanta/runtime/config';
import {
  isConditionalCheckFailed,
  transactionCancellationReasons,
  transactWrite,
} from '@quanta/runtime/dynamodb';
import { ServiceUnavailableError } from '@quanta/runtime/errors';
import { outboxPut } from '@quanta/runtime/events';
import type { Order } from '../domain/Order';
import type {
  IdempotencyRecord,
  OrderChange,
  OrderListPage,
  OrderPlacement,
  OrderRepository,
  OrderWithCard,
  PlaceOutcome,
} from '../domain/OrderRepository';
import { InvalidCursorError, OrderDataError } from '../errors';

/** Options of {@link DynamoDbOrderRepository}. */
export interface DynamoDbOrderRepositoryOptions {
  /** How long an Idempotency-Key is remembered. @default 86400 (24 h) */
  readonly idempotencyRetentionSeconds?: number;
  /** Name of the index listing a user's orders. @default 'gsi1' */
  readonly userIndexName?: string;
  /** Name of the index of orders by deadline / compensation retry time. @default 'gsi2' */
  readonly sweepIndexName?: string;
}

/**
 * Keys of the order items of orders' table (the table is drawn in orders' README):
 * - `ORDER#<orderId>` / `ORDER`: the order and its saga state; `gsi1` (`USER#<userId>`,
 *   `<createdAt>#<orderId>`) lists a user's orders; `gsi2` (`PENDING`, `<deadline>#<orderId>`) while
 *   pending and (`COMPENSATING`, `<nextCompensationAt>#<orderId>`) while compensations are unacknowledged.
 * - `ORDER#<orderId>` / `CARD`: the sealed card, TTL = the order's deadline, deleted after the payment step.
 * - `IDEMPOTENCY#<userId>#<key>` / `IDEMPOTENCY`: the key's fingerprint and order, TTL = retention.
 */
const keys = {
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  card: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'CARD' }),
  idempotency: (userId: string, key: string) => ({ pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'IDEMPOTENCY' }),
  /** gsi1 partition of a user's orders. */
  userOrders: (userId: string) => `USER#${userId}`,
  /** gsi1 sort key: newest first when read backwards. */
  userOrderSort: (createdAt: string, orderId: string) => `${createdAt}#${orderId}`,
  /** gsi2 partition of orders waiting for their deadline. */
  pending: 'PENDING',
  /** gsi2 partition of cancelled orders whose compensations are not yet acknowledged. */
  compensating: 'COMPENSATING',
} as const;

const compensationState = z.enum(['NONE', 'PENDING', 'DONE']);
const command = z.enum(['ReserveStock', 'AuthorizePayment', 'ReleaseStock', 'RefundPayment']);

const storedOrderSchema = z.object({
  orderId: z.string().check(z.minLength(1)),
  userId: z.string().check(z.minLength(1)),
  status: orderStatusSchema,
  step: z.enum(['RESERVING', 'AUTHORIZING', 'COMPENSATING', 'DONE']),
  reason: z.optional(cancellationReasonSchema),
  items: z.array(
    z.object({
      productId: z.string(),
      name: z.string(),
      quantity: z.number().check(z.int()),
      unitPriceCents: z.number().check(z.int()),
    }),
  ),
  totalCents: z.number().check(z.int()),
  currency: z.string(),
  cardLast4: z.string(),
  paymentId: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  deadline: z.string(),
  correlationId: z.string(),
  idempotencyKey: z.string(),
  stockCompensation: compensationState,
  paymentCompensation: compensationState,
  compensationAttempts: z.number().check(z.int()),
  nextCompensationAt: z.optional(z.string()),
  lastMessageId: z.optional(z.string()),
  lastCommands: z.array(command),
  version: z.number().check(z.int()),
});

const storedRecordSchema = z.object({
  userId: z.string(),
  key: z.string(),
  fingerprint: z.string(),
  orderId: z.string(),
  createdAt: z.string(),
});

const CURSOR_SORT_KEY = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9_-]{1,64}$/;

/**
 * {@link OrderRepository} on orders' table (see `keys` above for the items). Placement is one
 * `TransactWriteItems` (idempotency record with `attribute_not_exists`, order, sealed card, outbox
 * event), so of any number of concurrent requests with one key exactly one creates an order; every
 * saga transition is a write conditioned on the order's `version`.
 *
 * @example
 * ```ts
 * const orders = new DynamoDbOrderRepository(table, { idempotencyRetentionSeconds: 86_400 });
 * const outcome = await orders.place({ record, order, sealedCard, event });
 * ```
 */
export class DynamoDbOrderRepository implements OrderRepository {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #ttl: string;
  readonly #retention: number;
  readonly #userIndex: string;
  readonly #sweepIndex: string;

  constructor(table: TableConnection, options: DynamoDbOrderRepositoryOptions = {}) {
    this.#client = table.client;
    this.#table = table.tableName;
    this.#ttl = table.ttlAttribute;
    this.#retention = options.idempotencyRetentionSeconds ?? 86_400;
    this.#userIndex = options.userIndexName ?? 'gsi1';
    this.#sweepIndex = options.sweepIndexName ?? 'gsi2';
  }

  async place(placement: OrderPlacement): Promise<PlaceOutcome> {
    const { record, order, sealedCard, event } = placement;
    const TableName = this.#table;
    const created = Math.floor(Date.parse(record.createdAt) / 1000);
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName,
          Item: marshall({
            ...keys.idempotency(record.userId, record.key),
            ...record,
            [this.#ttl]: created + this.#retention,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { Put: { TableName, Item: orderToItem(order), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName,
          Item: marshall({
            ...keys.card(order.orderId),
            sealed: sealedCard,
            // Never kept past the deadline, even if the saga's own deletion were lost.
            [this.#ttl]: Math.ceil(Date.parse(order.deadline) / 1000),
          }),
        },
      },
      outboxPut(event, { tableName: TableName, ttlAttribute: this.#ttl }),
    ];
    try {
      await transactWrite(this.#client, items);
      return { kind: 'PLACED' };
    } catch (error) {
      const reasons = transactionCancellationReasons(error);
      if (reasons?.[0] === 'ConditionalCheckFailed') {
        const returned = (error as { CancellationReasons?: { Item?: Record<string, AttributeValue> }[] })
          .CancellationReasons?.[0]?.Item;
        const winner =
          returned !== undefined
            ? recordFromItem(returned)
            : await this.findIdempotencyRecord(record.userId, record.key);
        if (winner !== undefined) return { kind: 'KEY_TAKEN', record: winner };
      }
      if (error instanceof ServiceUnavailableError) {
        // Still conflicting after retries: most likely with the request that took the key.
        const winner = await this.findIdempotencyRecord(record.userId, record.key);
        if (winner !== undefined) return { kind: 'KEY_TAKEN', record: winner };
      }
      throw error;
    }
  }

  async findIdempotencyRecord(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const item = await this.#get(keys.idempotency(userId, key));
    return item === undefined ? undefined : recordFromItem(item);
  }

  async get(orderId: string): Promise<Order | undefined> {
    const item = await this.#get(keys.order(orderId));
    return item === undefined ? undefined : orderFromItem(item);
  }

  async commit(change: OrderChange): Promise<boolean> {
    const TableName = this.#table;
    const put = {
      TableName,
      Item: orderToItem(change.next),
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: marshall({ ':expected': change.expectedVersion }),
    };
    if (change.event === undefined && !change.deleteCard) {
      try {
        await this.#client.send(new PutItemCommand(put));
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    }
    const items: TransactWriteItem[] = [{ Put: put }];
    if (change.event !== undefined) {
      items.push(outboxPut(change.event, { tableName: TableName, ttlAttribute: this.#ttl }));
    }
    if (change.deleteCard) {
      items.push({ Delete: { TableName, Key: marshall(keys.card(change.next.orderId)) } });
    }
    try {
      await transactWrite(this.#client, items);
      return true;
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async findSealedCard(orderId: string): Promise<string | undefined> {
    const item = await this.#get(keys.card(orderId));
    return typeof item?.sealed?.S === 'string' ? item.sealed.S : undefined;
  }

  async getWithSealedCard(orderId: string): Promise<OrderWithCard | undefined> {
    // Both items are in the order's partition ('CARD' sorts before 'ORDER'): one Query, not two GetItems.
    const order = keys.order(orderId);
    const card = keys.card(orderId);
    const { Items = [] } = await this.#client.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :card AND :order',
        ExpressionAttributeValues: marshall({ ':pk': order.pk, ':card': card.sk, ':order': order.sk }),
        ConsistentRead: true,
      }),
    );
    const orderItem = Items.find((item) => item.sk?.S === order.sk);
    if (orderItem === undefined) return undefined;
    const sealed = Items.find((item) => item.sk?.S === card.sk)?.sealed?.S;
    return { order: orderFromItem(orderItem), ...(sealed === undefined ? {} : { sealedCard: sealed }) };
  }

  async listByUser(
    userId: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<OrderListPage> {
    const gsi1pk = keys.userOrders(userId);
    const start = page.cursor === undefined ? undefined : startKeyOf(page.cursor, gsi1pk);
    // One more than asked: tells whether a next page exists without handing out a cursor to nothing.
    const { Items = [], LastEvaluatedKey } = await this.#client.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: this.#userIndex,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': gsi1pk }),
        ScanIndexForward: false,
        Limit: page.limit + 1,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    const orders = Items.slice(0, page.limit).map(orderFromItem);
    const last = orders.at(-1);
    // More follow when the extra item came back, or when DynamoDB stopped early at its 1 MB page
    // (a hundred orders of twenty lines with long names exceed it): the next page starts after the last.
    const more = last !== undefined && (Items.length > page.limit || LastEvaluatedKey !== undefined);
    return {
      orders,
      ...(more
        ? {
            nextCursor: Buffer.from(keys.userOrderSort(last.createdAt, last.orderId)).toString('base64url'),
          }
        : {}),
    };
  }

  async findExpiredPending(now: Date, limit: number): Promise<string[]> {
    return this.#due(keys.pending, now, limit);
  }

  async findDueCompensations(now: Date, limit: number): Promise<string[]> {
    return this.#due(keys.compensating, now, limit);
  }

  async #due(partition: string, now: Date, limit: number): Promise<string[]> {
    const ids: string[] = [];
    if (limit <= 0) return ids;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: this.#sweepIndex,
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :now',
          ExpressionAttributeValues: marshall({ ':pk': partition, ':now': now.toISOString() }),
          ProjectionExpression: 'orderId',
          Limit: Math.min(100, limit - ids.length),
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        const orderId = item.orderId?.S;
        if (orderId !== undefined) ids.push(orderId);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined && ids.length < limit);
    return ids;
  }

  async #get(key: { pk: string; sk: string }): Promise<Record<string, AttributeValue> | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: marshall(key), ConsistentRead: true }),
    );
    return Item;
  }
}

function recordFromItem(item: Record<string, AttributeValue>): IdempotencyRecord {
  const parsed = storedRecordSchema.safeParse(unmarshall(item));
  if (!parsed.success) throw new OrderDataError(`Idempotency record is malformed: ${parsed.error.message}`);
  return parsed.data;
}

function startKeyOf(cursor: string, gsi1pk: string): Record<string, AttributeValue> {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CURSOR_SORT_KEY.test(sortKey)) throw new InvalidCursorError();
  const orderId = sortKey.slice(sortKey.indexOf('#') + 1);
  return marshall({ ...keys.order(orderId), gsi1pk, gsi1sk: sortKey });
}

/**
 * The DynamoDB item of an order, with the index attributes its state calls for: `gsi1` always,
 * `gsi2` only while it waits for its deadline (PENDING) or for compensation replies. Writing the
 * whole item on every transition makes leaving PENDING remove it from the sweep's index.
 */
function orderToItem(order: Order): Record<string, AttributeValue> {
  const { compensations, ...rest } = order;
  const gsi2 =
    order.status === 'PENDING'
      ? { gsi2pk: keys.pending, gsi2sk: `${order.deadline}#${order.orderId}` }
      : order.step === 'COMPENSATING' && order.nextCompensationAt !== undefined
        ? { gsi2pk: keys.compensating, gsi2sk: `${order.nextCompensationAt}#${order.orderId}` }
        : {};
  return marshall(
    {
      ...keys.order(order.orderId),
      entity: 'Order',
      ...rest,
      items: order.items.map((l) => ({ ...l })),
      lastCommands: [...order.lastCommands],
      stockCompensation: compensations.stock,
      paymentCompensation: compensations.payment,
      gsi1pk: keys.userOrders(order.userId),
      gsi1sk: keys.userOrderSort(order.createdAt, order.orderId),
      ...gsi2,
    },
    { removeUndefinedValues: true },
  );
}

/** The order stored in `item`, validated; an item of another shape is an `OrderDataError`. */
function orderFromItem(item: Record<string, AttributeValue>): Order {
  const raw = unmarshall(item);
  const parsed = storedOrderSchema.safeParse(raw);
  if (!parsed.success) {
    throw new OrderDataError(`Item ${String(raw.pk)} is not a valid order: ${parsed.error.message}`);
  }
  const { stockCompensation, paymentCompensation, ...order } = parsed.data;
  return { ...order, compensations: { stock: stockCompensation, payment: paymentCompensation } };
}
