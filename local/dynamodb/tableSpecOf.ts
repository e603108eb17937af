import type { QuantumManifest } from '@quanta/runtime/manifest';
import { DEFAULT_PREFIX, namesOf } from '@quanta/runtime/manifest';
import type { TableSpec } from './TableSpec';

/**
 * The table of `manifest`: named by `namesOf`, `pk`/`sk` strings, its GSIs, its TTL attribute, and
 * a `NEW_IMAGE` stream when the quantum relays an outbox (`outboxRelay`).
 *
 * @example
 * ```ts
 * tableSpecOf(identity); // { tableName: 'quanta-identity', ..., stream: 'NEW_IMAGE' }
 * ```
 */
export function tableSpecOf(manifest: QuantumManifest, prefix: string = DEFAULT_PREFIX): TableSpec {
  const spec: TableSpec = {
    tableName: namesOf(manifest.name, prefix).table,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: manifest.table.indexes ?? [],
    ttlAttribute: manifest.table.ttlAttribute ?? 'expiresAt',
  };
  return manifest.outboxRelay === undefined ? spec : { ...spec, stream: 'NEW_IMAGE' };
}
