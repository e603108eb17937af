import type { WireAttributeValue } from './toWireAttributeValue';

/**
 * Remembers which deletions the TTL sweeper made, so the stream poller can mark their REMOVE
 * records the way DynamoDB marks TTL deletions (`userIdentity: { type: 'Service', principalId:
 * 'dynamodb.amazonaws.com' }`), which consumers use to tell expiry from a user's delete.
 * Entries not claimed within `retentionMs` are forgotten (the table may have no stream poller).
 *
 * @example
 * ```ts
 * const log = new TtlDeletionLog();
 * log.record('quanta-platform', { pk: { S: 'a' }, sk: { S: 'b' } });
 * log.claim('quanta-platform', { sk: { S: 'b' }, pk: { S: 'a' } }); // true (key order does not matter)
 * ```
 */
export class TtlDeletionLog {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly retentionMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes that the sweeper is deleting `key` from `tableName`. */
  record(tableName: string, key: Readonly<Record<string, WireAttributeValue>>): void {
    this.prune();
    this.entries.set(keyOf(tableName, key), this.now());
  }

  /** Forgets a recorded deletion that did not happen (its conditional delete failed). */
  forget(tableName: string, key: Readonly<Record<string, WireAttributeValue>>): void {
    this.entries.delete(keyOf(tableName, key));
  }

  /** True (once) when the REMOVE of `key` in `tableName` was a TTL deletion. */
  claim(tableName: string, key: Readonly<Record<string, WireAttributeValue>>): boolean {
    return this.entries.delete(keyOf(tableName, key));
  }

  private prune(): void {
    const oldest = this.now() - this.retentionMs;
    for (const [entry, at] of this.entries) if (at < oldest) this.entries.delete(entry);
  }
}

function keyOf(tableName: string, key: Readonly<Record<string, WireAttributeValue>>): string {
  const sorted = Object.keys(key)
    .sort()
    .map((name) => [name, key[name]]);
  return `${tableName}\u0000${JSON.stringify(sorted)}`;
}
