import { namesOf, type QuantumManifest, type Registry } from '@quanta/runtime/manifest';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Properties of a {@link QuantumTable}. */
export interface QuantumTableProps {
  /** The quantum whose table this is. */
  readonly manifest: QuantumManifest;
  /** The registry (prefix, production switch). */
  readonly registry: Registry;
}

/**
 * A quantum's single table, from its manifest: `pk`/`sk` strings, on-demand, point-in-time recovery,
 * the TTL attribute, the manifest's GSIs (projection ALL), a `NEW_IMAGE` stream when the quantum relays
 * an outbox, and in production deletion protection plus `RETAIN`.
 *
 * @example
 * ```ts
 * const { table } = new QuantumTable(this, 'Table', { manifest, registry });
 * ```
 */
export class QuantumTable extends Construct {
  /** The table. */
  readonly table: dynamodb.Table;
  /** Names of its global secondary indexes. */
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: QuantumTableProps) {
    super(scope, id);
    const { manifest, registry } = props;
    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: namesOf(manifest.name, registry.prefix).table,
      partitionKey: { name: 'pk', type: string },
      sortKey: { name: 'sk', type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: manifest.table.ttlAttribute ?? 'expiresAt',
      stream: manifest.outboxRelay === undefined ? undefined : dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: registry.production,
      removalPolicy: registry.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of manifest.table.indexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: index.sortKey === undefined ? undefined : { name: index.sortKey, type: string },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.indexNames = (manifest.table.indexes ?? []).map((i) => i.name);
  }

  /** ARNs of its indexes (for least-privilege read grants), built from the manifest's index names. */
  get indexArns(): readonly string[] {
    return this.indexNames.map((name) => `${this.table.tableArn}/index/${name}`);
  }
}
