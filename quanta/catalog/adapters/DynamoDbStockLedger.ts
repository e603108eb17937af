import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { TableConnection } from '@quanta/runtime/config';
import {
  isConditionalCheckFailed,
  transactionCancellationReasons,
  transactWrite,
} from '@quanta/runtime/dynamodb';
import { ServiceUnavailableError } from '@quanta/runtime/errors';
import { outboxPut } from '@quanta/runtime/events';
import type { PlannedLine } from '../domain/planReservation';
import type {
  ActiveReservation,
  RefusedReservation,
  ReleasedReservation,
  Reservation,
} from '../domain/Reservation';
import type { ReleaseWrite, ReservationWrite, StockLedger } from '../domain/StockLedger';
import { batchGetItems } from './batchGetItems';
import { cancellationReasonsOf } from './cancellationReasonsOf';
import { catalogKeys } from './catalogKeys';
import { productOfItem } from './productItem';
import { reservationItemOf, reservationOfItem } from './reservationItem';

/** Options of {@link DynamoDbStockLedger}. */
interface DynamoDbStockLedgerOptions {
  /**
   * How long released and refused reservations are kept. They only have to outlive every copy of a
   * request for the order (a ReserveStock is dead after its deadline, SQS keeps a message at most
   * 14 days); active reservations are the record of what was sold and never expire. @default 30 days
   */
  readonly retentionSeconds?: number;
  /** Clock for expiries. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * {@link StockLedger} on catalog's table. Stock lives in the product item
 * (`PRODUCT#<id>/PRODUCT`, attribute `stock`), each order's decision in
 * `RESERVATION#<orderId>/RESERVATION`. A reservation is one `TransactWriteItems`: the reservation put
 * (`attribute_not_exists`), one conditional decrement per product (`stock = :qty` when it empties
 * the product, else `stock > :qty`) and the `StockDepleted` outbox items. Every condition returns
 * the item it saw when it fails (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), so a rejected
 * reservation reports the existing reservation or the current stock, read from the transaction's
 * `CancellationReasons`, without another read. A release is one transaction too: the reservation's
 * `RESERVED -> RELEASED` (conditional on `RESERVED`) and one `ADD` per product.
 *
 * @example
 * ```ts
 * const ledger = new DynamoDbStockLedger(table, { retentionSeconds: env.RESERVATION_RETENTION_SECONDS });
 * const written = await ledger.reserve(reservation, plannedLines, stockDepletedEvents);
 * ```
 */
export class DynamoDbStockLedger implements StockLedger {
  readonly #table: TableConnection;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;

  /** @param table catalog's table (released and refused reservations expire through its TTL attribute) */
  constructor(table: TableConnection, options: DynamoDbStockLedgerOptions = {}) {
    this.#table = table;
    this.#retentionSeconds = options.retentionSeconds ?? 30 * 24 * 3600;
    this.#now = options.now ?? (() => new Date());
  }

  async reservation(orderId: string): Promise<Reservation | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(catalogKeys.reservation(orderId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : reservationOfItem(unmarshall(Item));
  }

  async reserve(
    reservation: ActiveReservation,
    lines: readonly PlannedLine[],
    events: readonly AnyEventEnvelope[],
  ): Promise<ReservationWrite> {
    const TableName = this.#table.tableName;
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName,
          Item: marshall(reservationItemOf(reservation)),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...lines.map(
        (line): TransactWriteItem => ({
          Update: {
            TableName,
            Key: marshall(catalogKeys.product(line.productId)),
            UpdateExpression: 'SET stock = stock - :quantity',
            // Exactly the planned stock when this empties the product (so StockDepleted is true),
            // strictly more otherwise (so it is not emptied without StockDepleted). Either way it
            // can never go below zero.
            ConditionExpression: line.depletes
              ? 'attribute_exists(pk) AND stock = :quantity'
              : 'attribute_exists(pk) AND stock > :quantity',
            ExpressionAttributeValues: marshall({ ':quantity': line.quantity }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }),
      ),
      ...events.map((e) => outboxPut(e, this.#table)),
    ];
    try {
      await transactWrite(this.#table.client, items);
      return { kind: 'WRITTEN' };
    } catch (error) {
      const reasons = cancellationReasonsOf(error);
      if (reasons === undefined) throw error;
      const [order, ...perLine] = reasons;
      if (order?.Code === 'ConditionalCheckFailed') {
        return { kind: 'ORDER_TAKEN', reservation: await this.#existing(reservation.orderId, order.Item) };
      }
      const failed = lines.flatMap((line, i) =>
        perLine[i]?.Code === 'ConditionalCheckFailed' ? [{ line, item: perLine[i]?.Item }] : [],
      );
      // Cancelled for another reason (conflicts that outlasted transactWrite's retries, throttling):
      // no decision can be taken; the error gets the request message retried.
      if (failed.length === 0) throw error;
      const stock = new Map<string, number | undefined>();
      for (const { line, item } of failed) {
        if (item !== undefined) stock.set(line.productId, productOfItem(unmarshall(item)).stock);
      }
      // A failed check on a missing item returns no item: confirm with a read that it is missing.
      const unseen = failed.filter((f) => f.item === undefined).map((f) => f.line.productId);
      for (const [productId, units] of await this.currentStock(unseen)) stock.set(productId, units);
      return { kind: 'STALE', stock };
    }
  }

  async refuse(reservation: RefusedReservation): Promise<Exclude<ReservationWrite, { kind: 'STALE' }>> {
    try {
      await this.#putFinal(reservation);
      return { kind: 'WRITTEN' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const found = (error as Error & { Item?: Record<string, AttributeValue> }).Item;
      return { kind: 'ORDER_TAKEN', reservation: await this.#existing(reservation.orderId, found) };
    }
  }

  async release(reservation: ActiveReservation, releasedAt: string): Promise<ReleaseWrite> {
    const TableName = this.#table.tableName;
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName,
          Key: marshall(catalogKeys.reservation(reservation.orderId)),
          UpdateExpression:
            'SET #status = :released, stockReturned = :true, releasedAt = :releasedAt, #ttl = :expiresAt',
          // Only an active reservation gives stock back: a second release finds RELEASED and fails.
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': this.#table.ttlAttribute },
          ExpressionAttributeValues: marshall({
            ':released': 'RELEASED',
            ':reserved': 'RESERVED',
            ':true': true,
            ':releasedAt': releasedAt,
            ':expiresAt': this.#expiresAt(),
          }),
        },
      },
      ...reservation.lines.map(
        (line): TransactWriteItem => ({
          Update: {
            TableName,
            Key: marshall(catalogKeys.product(line.productId)),
            UpdateExpression: 'ADD stock :quantity',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: marshall({ ':quantity': line.quantity }),
          },
        }),
      ),
    ];
    try {
      await transactWrite(this.#table.client, items);
      return 'WRITTEN';
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return 'STALE';
      throw error;
    }
  }

  async tombstone(orderId: string, releasedAt: string): Promise<ReleaseWrite> {
    const tombstone: ReleasedReservation = {
      status: 'RELEASED',
      orderId,
      lines: [],
      stockReturned: false,
      releasedAt,
    };
    try {
      await this.#putFinal(tombstone);
      return 'WRITTEN';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'STALE';
      throw error;
    }
  }

  /**
   * Puts a decision that never changes again (a refusal, a release tombstone), expiring after the
   * retention, only if the order has no reservation yet. Otherwise rejects with the conditional check
   * failure, which carries the reservation it found (`ALL_OLD`), so no read is needed to report it.
   */
  async #putFinal(reservation: RefusedReservation | ReleasedReservation): Promise<void> {
    await this.#table.client.send(
      new PutItemCommand({
        TableName: this.#table.tableName,
        Item: marshall(reservationItemOf(reservation, { [this.#table.ttlAttribute]: this.#expiresAt() })),
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  /** The reservation a rejected write found (`item`), read when the engine did not return it. */
  async #existing(orderId: string, item: Record<string, AttributeValue> | undefined): Promise<Reservation> {
    const reservation =
      item === undefined ? await this.reservation(orderId) : reservationOfItem(unmarshall(item));
    // Only a TTL removes a reservation, long after any request for its order can arrive.
    if (reservation === undefined) {
      throw new ServiceUnavailableError(`Reservation of order ${orderId} vanished while deciding; retry`);
    }
    return reservation;
  }

  async currentStock(productIds: readonly string[]): Promise<Map<string, number | undefined>> {
    const stock = new Map<string, number | undefined>(productIds.map((id) => [id, undefined]));
    if (productIds.length === 0) return stock;
    const keys = productIds.map((id) => marshall(catalogKeys.product(id)));
    for (const item of await batchGetItems(this.#table, keys)) {
      const product = productOfItem(unmarshall(item));
      stock.set(product.productId, product.stock);
    }
    return stock;
  }

  #expiresAt(): number {
    return Math.floor(this.#now().getTime() / 1000) + this.#retentionSeconds;
  }
}
