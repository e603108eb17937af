import { type AttributeValue, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import { ServiceUnavailableError } from '@quanta/runtime/errors';

/** BatchGetItem takes at most 100 keys per call. */
const MAX_KEYS = 100;

/**
 * Strongly consistent `BatchGetItem` of any number of keys of one table, in calls of 100, retrying
 * with backoff the keys DynamoDB leaves unprocessed (it does so under throttling, without an error).
 * Items that do not exist are simply absent; the result is in no particular order. Keys still
 * unprocessed after `maxRounds` are a 503 {@link ServiceUnavailableError}.
 *
 * @example
 * ```ts
 * const items = await batchGetItems(table, ids.map((id) => marshall(catalogKeys.product(id))));
 * ```
 */
export async function batchGetItems(
  { client, tableName }: Pick<TableConnection, 'client' | 'tableName'>,
  keys: readonly Record<string, AttributeValue>[],
  maxRounds = 5,
): Promise<Record<string, AttributeValue>[]> {
  const found: Record<string, AttributeValue>[] = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS) {
    let pending = keys.slice(start, start + MAX_KEYS);
    for (let round = 1; pending.length > 0; round++) {
      if (round > maxRounds) {
        throw new ServiceUnavailableError(
          `${pending.length} reads from ${tableName} stayed unprocessed after ${maxRounds} rounds`,
        );
      }
      if (round > 1) await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** round));
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}
