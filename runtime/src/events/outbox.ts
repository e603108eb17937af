// An event's way out of a quantum: `createEnvelope` builds it (validated against its contract) and
// `outboxPut` writes it in the same transaction as the state change; the table stream then hands it
// to the outbox relay (`@quanta/runtime/events/relay`), which publishes it to the bus.
import { randomUUID } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope, EventContract, EventEnvelope } from '@quanta/contracts/envelope';
import type * as z from '@quanta/contracts/zod';
import { OUTBOX_PK_PREFIX } from '../manifest/outbox';

/** Where an event comes from, for tracing one client request across quanta. */
export interface EnvelopeOrigin {
  /** Id shared by everything one client request caused. */
  readonly correlationId: string;
  /** Id of the message that caused this event. @default correlationId (a root cause) */
  readonly causationId?: string;
  /** Event id. @default a random UUID v4 */
  readonly id?: string;
  /** When it happened. @default now */
  readonly occurredAt?: Date;
}

/**
 * Builds an event envelope for `contract` and validates it against the contract, so an event that
 * would be rejected by its consumers is never written to an outbox.
 *
 * @example
 * ```ts
 * const event = createEnvelope(UserRegistered, { userId, email, displayName, roles }, { correlationId });
 * ```
 */
export function createEnvelope<T extends z.ZodMiniType>(
  contract: EventContract<T>,
  data: z.infer<T>,
  origin: EnvelopeOrigin,
): EventEnvelope<z.infer<T>> {
  return contract.envelope.parse({
    id: origin.id ?? randomUUID(),
    type: contract.type,
    version: contract.version,
    source: contract.source,
    occurredAt: (origin.occurredAt ?? new Date()).toISOString(),
    correlationId: origin.correlationId,
    causationId: origin.causationId ?? origin.correlationId,
    data,
  });
}

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
