import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { TableConnection } from '@quanta/runtime/config';
import {
  isConditionalCheckFailed,
  transactionCancellationReasons,
  transactWrite,
} from '@quanta/runtime/dynamodb';
import { outboxPut } from '@quanta/runtime/events';
import type { Product } from '../domain/Product';
import type { ProductChanges, ProductListPage, ProductRepository } from '../domain/ProductRepository';
import { batchGetItems } from './batchGetItems';
import { catalogKeys, PRODUCT_LIST_INDEX, PRODUCT_LIST_PARTITION } from './catalogKeys';
import { decodeProductCursor, encodeProductCursor } from './productCursor';
import { productItemOf, productOfItem } from './productItem';

/**
 * {@link ProductRepository} on catalog's table: one item per product (`PRODUCT#<id>/PRODUCT`, see
 * {@link catalogKeys}) holding its fields and its stock, listed through gsi1 (`PRODUCTS`, sorted
 * by `<createdAt>#<id>`). Creations and updates write the product and their outbox events in one
 * `TransactWriteItems`; updates are conditional on the version they were computed from.
 *
 * @example
 * ```ts
 * const { table } = functionContext(tableEnvironment, process.env);
 * const products = new DynamoDbProductRepository(table);
 * const page = await products.list({ limit: 20 });
 * ```
 */
export class DynamoDbProductRepository implements ProductRepository {
  readonly #table: TableConnection;
  readonly #maxBatchGetRounds: number;

  /**
   * @param table catalog's table (outbox items expire through its TTL attribute)
   * @param options.maxBatchGetRounds rounds of `BatchGetItem` for keys DynamoDB left unprocessed
   *   (throttling). @default 5
   */
  constructor(table: TableConnection, options: { readonly maxBatchGetRounds?: number } = {}) {
    this.#table = table;
    this.#maxBatchGetRounds = options.maxBatchGetRounds ?? 5;
  }

  async create(product: Product, event: AnyEventEnvelope): Promise<void> {
    await transactWrite(this.#table.client, [
      {
        Put: {
          TableName: this.#table.tableName,
          Item: marshall(productItemOf(product)),
          // Ids are UUIDs: a collision must fail loudly rather than overwrite a product.
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.#outbox(event),
    ]);
  }

  async get(productId: string): Promise<Product | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({
        TableName: this.#table.tableName,
        Key: marshall(catalogKeys.product(productId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : productOfItem(unmarshall(Item));
  }

  async getMany(productIds: readonly string[]): Promise<Product[]> {
    const keys = [...new Set(productIds)].map((id) => marshall(catalogKeys.product(id)));
    const items = await batchGetItems(this.#table, keys, this.#maxBatchGetRounds);
    return items.map((item) => productOfItem(unmarshall(item)));
  }

  async list(page: { readonly limit: number; readonly cursor?: string }): Promise<ProductListPage> {
    const start = page.cursor === undefined ? undefined : decodeProductCursor(page.cursor);
    // One more than asked: if it exists there is a next page, and the last page never comes back
    // empty the way DynamoDB's own LastEvaluatedKey would make it.
    const { Items = [] } = await this.#table.client.send(
      new QueryCommand({
        TableName: this.#table.tableName,
        IndexName: PRODUCT_LIST_INDEX,
        KeyConditionExpression: 'gsi1pk = :products',
        ExpressionAttributeValues: marshall({ ':products': PRODUCT_LIST_PARTITION }),
        ExclusiveStartKey: start === undefined ? undefined : marshall(start),
        Limit: page.limit + 1,
      }),
    );
    const items = Items.slice(0, page.limit).map((i) => productOfItem(unmarshall(i)));
    const last = items.at(-1);
    const hasMore = Items.length > page.limit && last !== undefined;
    return {
      items,
      ...(hasMore
        ? {
            nextCursor: encodeProductCursor(
              catalogKeys.productListing(last.createdAt, last.productId).gsi1sk,
            ),
          }
        : {}),
    };
  }

  async update(
    productId: string,
    expectedVersion: number,
    changes: ProductChanges,
    events: readonly AnyEventEnvelope[],
  ): Promise<'UPDATED' | 'STALE'> {
    try {
      await transactWrite(this.#table.client, [
        {
          Update: {
            TableName: this.#table.tableName,
            Key: marshall(catalogKeys.product(productId)),
            UpdateExpression:
              'SET #name = :name, priceCents = :price, version = :version, updatedAt = :updatedAt',
            ConditionExpression: 'attribute_exists(pk) AND version = :expected',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: marshall({
              ':name': changes.name,
              ':price': changes.priceCents,
              ':version': changes.version,
              ':updatedAt': changes.updatedAt,
              ':expected': expectedVersion,
            }),
          },
        },
        ...events.map((e) => this.#outbox(e)),
      ]);
      return 'UPDATED';
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return 'STALE';
      throw error;
    }
  }

  async restock(productId: string, quantity: number, updatedAt: string): Promise<Product | undefined> {
    try {
      const { Attributes } = await this.#table.client.send(
        new UpdateItemCommand({
          TableName: this.#table.tableName,
          Key: marshall(catalogKeys.product(productId)),
          // ADD is atomic: concurrent restocks and reservations all count.
          UpdateExpression: 'ADD stock :quantity SET updatedAt = :updatedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: marshall({ ':quantity': quantity, ':updatedAt': updatedAt }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes === undefined ? undefined : productOfItem(unmarshall(Attributes));
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  #outbox(event: AnyEventEnvelope) {
    return outboxPut(event, this.#table);
  }
}
