import type { IndexDefinition } from '@quanta/runtime/manifest';

/** Stream view types DynamoDB supports. */
export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

/** A quantum's table as the local cloud creates it (the same shape the QuantumStack deploys). */
export interface TableSpec {
  readonly tableName: string;
  /** Always `pk` (single-table design). */
  readonly partitionKey: string;
  /** Always `sk`. */
  readonly sortKey: string;
  readonly indexes: readonly IndexDefinition[];
  /** TTL attribute (epoch seconds). */
  readonly ttlAttribute: string;
  /** Stream view type, when the table has a stream. */
  readonly stream?: StreamViewType;
}
