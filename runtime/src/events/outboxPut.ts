import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { OUTBOX_PK_PREFIX } from '../manifest/outbox';

/** Sort key of every outbox item. */
const OUTBOX_SORT_KEY = 'OUTBOX';
/** How long a relayed outbox item is kept (for audits and replays) before TTL removes it. */
const DEFAULT_OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

/** Options of {@link outboxPut}. */
export interface OutboxPutOptions {
  /** The quantum's table (the one whose stream the relay reads). */
  readonly tableName: string;
  /** TTL attribute of the table. @default 'expiresAt' */
  readonly ttlAttribute?: string;
  /** Seconds to keep the item. @default 7 days */
  readonly retentionSeconds?: number;
  /** Clock. @default new Date() */
  readonly now?: Date;
}

/**
 * The `TransactWriteItem` that writes `event` to the outbox: `pk = OUTBOX#<eventId>`, `sk = OUTBOX`,
 * the envelope as JSON (stored as a string so it round-trips exactly), and a TTL. Put it in the same
 * `TransactWriteItems` as the state change, so the event exists if and only if the change does;
 * the table stream then hands it to the outbox relay.
 *
 * @example
 * ```ts
 * await transactWrite(client, [{ Put: { TableName: tableName, Item: userItem } }, outboxPut(event, { tableName })]);
 * ```
 */
export function outboxPut(event: AnyEventEnvelope, options: OutboxPutOptions): TransactWriteItem {
  const now = options.now ?? new Date();
  const expiresAt =
    Math.floor(now.getTime() / 1000) + (options.retentionSeconds ?? DEFAULT_OUTBOX_RETENTION_SECONDS);
  return {
    Put: {
      TableName: options.tableName,
      Item: marshall({
        pk: `${OUTBOX_PK_PREFIX}${event.id}`,
        sk: OUTBOX_SORT_KEY,
        type: event.type,
        source: event.source,
        envelope: JSON.stringify(event),
        createdAt: now.toISOString(),
        [options.ttlAttribute ?? 'expiresAt']: expiresAt,
      }),
      // Event ids are UUIDs; a collision would silently replace an unrelayed event, so refuse it.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
