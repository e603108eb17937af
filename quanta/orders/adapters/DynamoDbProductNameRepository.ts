import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import { isConditionalCheckFailed } from '@quanta/runtime/dynamodb';
import type { ProductNameRepository } from '../domain/ProductCatalog';

/** Options of {@link DynamoDbProductNameRepository}. */
export interface DynamoDbProductNameRepositoryOptions {
  /** Clock (for `updatedAt`). @default () => new Date() */
  readonly now?: () => Date;
  /** Rounds of `BatchGetItem` for keys DynamoDB left unprocessed. @default 5 */
  readonly maxBatchRounds?: number;
}

/** `BatchGetItem` takes at most 100 keys. */
const BATCH = 100;

/** Key of orders' copy of a product. */
function productKey(productId: string): { pk: string; sk: string } {
  return { pk: `PRODUCT#${productId}`, sk: 'PRODUCT' };
}

/**
 * {@link ProductNameRepository} on orders' table: `PRODUCT#<productId>` / `PRODUCT` with `name` and
 * `version`. A rename is one `UpdateItem` conditioned on `attribute_not_exists(pk) OR version < :v`,
 * so it creates the copy on the first rename and never goes back to an older name.
 *
 * @example
 * ```ts
 * const names = new DynamoDbProductNameRepository(table);
 * await names.rename('p1', 'Blue mug', 2); // 'UPDATED'
 * ```
 */
export class DynamoDbProductNameRepository implements ProductNameRepository {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #now: () => Date;
  readonly #maxRounds: number;

  constructor(table: TableConnection, options: DynamoDbProductNameRepositoryOptions = {}) {
    this.#client = table.client;
    this.#table = table.tableName;
    this.#now = options.now ?? (() => new Date());
    this.#maxRounds = options.maxBatchRounds ?? 5;
  }

  async rename(productId: string, name: string, version: number): Promise<'UPDATED' | 'STALE'> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: marshall(productKey(productId)),
          UpdateExpression: 'SET #name = :name, #version = :version, productId = :id, updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(pk) OR #version < :version',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
          ExpressionAttributeValues: marshall({
            ':name': name,
            ':version': version,
            ':id': productId,
            ':now': this.#now().toISOString(),
          }),
        }),
      );
      return 'UPDATED';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'STALE';
      throw error;
    }
  }

  async namesOf(productIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const names = new Map<string, string>();
    const unique = [...new Set(productIds)];
    for (let i = 0; i < unique.length; i += BATCH) {
      let keys: Record<string, AttributeValue>[] = unique
        .slice(i, i + BATCH)
        .map((id) => marshall(productKey(id)));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= this.#maxRounds) {
          throw new Error(
            `BatchGetItem left ${keys.length} product name(s) unprocessed after ${round} rounds`,
          );
        }
        if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
        const { Responses, UnprocessedKeys } = await this.#client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.#table]: {
                Keys: keys,
                ProjectionExpression: 'productId, #name',
                ExpressionAttributeNames: { '#name': 'name' },
              },
            },
          }),
        );
        for (const item of Responses?.[this.#table] ?? []) {
          const { productId, name } = unmarshall(item);
          if (typeof productId === 'string' && typeof name === 'string') names.set(productId, name);
        }
        keys = UnprocessedKeys?.[this.#table]?.Keys ?? [];
      }
    }
    return names;
  }
}
