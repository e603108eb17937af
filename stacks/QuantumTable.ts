import type { QuantumPlan } from '@quanta/runtime/manifest';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Properties of a {@link QuantumTable}. */
export interface QuantumTableProps {
  /** The table, as planned (name, keys, indexes, TTL, stream). */
  readonly table: QuantumPlan['table'];
  /** Production retains the table on delete and turns on deletion protection. @default false */
  readonly production?: boolean;
}

/**
 * A quantum's single table, as planned: `pk`/`sk` strings, on-demand, point-in-time recovery,
 * the TTL attribute, the planned GSIs (projection ALL), a `NEW_IMAGE` stream when the quantum relays
 * an outbox, and in production deletion protection plus `RETAIN`.
 *
 * @example
 * ```ts
 * const { table } = new QuantumTable(this, 'Table', { table: quantum.table, production: false });
 * ```
 */
export class QuantumTable extends Construct {
  /** The table. */
  readonly table: dynamodb.Table;
  /** Names of its global secondary indexes. */
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: QuantumTableProps) {
    super(scope, id);
    const { table } = props;
    const production = props.production ?? false;
    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: table.name,
      partitionKey: { name: table.partitionKey, type: string },
      sortKey: { name: table.sortKey, type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: table.ttlAttribute,
      stream: table.stream === 'NEW_IMAGE' ? dynamodb.StreamViewType.NEW_IMAGE : undefined,
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of table.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: index.sortKey === undefined ? undefined : { name: index.sortKey, type: string },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.indexNames = table.indexes.map((i) => i.name);
  }

  /** ARNs of its indexes (for least-privilege read grants), built from the manifest's index names. */
  get indexArns(): readonly string[] {
    return this.indexNames.map((name) => `${this.table.tableArn}/index/${name}`);
  }
}
