import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { TtlDeletionLog } from './TtlDeletionLog';
import { toWireImage } from './toWireAttributeValue';

/** A table and its TTL attribute. */
export interface TtlTable {
  readonly tableName: string;
  readonly ttlAttribute: string;
}

/** Options of {@link TtlSweeper}. */
export interface TtlSweeperOptions {
  readonly client: DynamoDBClient;
  /** Tables to sweep. @default every table whose TTL is ENABLED (`DescribeTimeToLive`), found on each sweep */
  readonly tables?: readonly TtlTable[];
  /** Time between sweeps. @default 5000 */
  readonly intervalMs?: number;
  /** Current time in ms (injected in tests). @default Date.now */
  readonly now?: () => number;
  /** Where deletions are noted for the stream poller's `userIdentity`. @default none */
  readonly deletionLog?: TtlDeletionLog;
  /** Diagnostics. @default console.error */
  readonly log?: (message: string) => void;
}

/** DynamoDB ignores TTL values more than five years in the past (they are assumed not to be epoch seconds). */
const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 3600;

/**
 * Older DynamoDB Local releases store TTL settings but never expire items; the pinned one expires
 * them itself, usually within a second, but documents nothing of it (D61). So this deletes them
 * too: every
 * `intervalMs` it scans each TTL table for items whose TTL attribute is a Number of epoch seconds
 * in the past (and not more than five years in the past, as DynamoDB does) and deletes them with a
 * condition that the value is still expired. They are real deletes, so the table's stream shows
 * them as REMOVE records; with a `deletionLog` the stream poller marks them as TTL deletions.
 * AWS deletes within days; locally it is within one interval.
 *
 * @example
 * ```ts
 * const sweeper = new TtlSweeper({ client, intervalMs: 1000 });
 * sweeper.start();
 * await sweeper.sweep(); // { deleted: 3 }
 * await sweeper.stop();
 * ```
 */
export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly keySchemas = new Map<string, readonly string[]>();

  constructor(private readonly options: TtlSweeperOptions) {}

  /** Sweeps every `intervalMs` until {@link stop}. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.log(`TTL sweep failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep over all TTL tables; resolves with the number of items deleted. */
  async sweep(): Promise<{ deleted: number }> {
    const tables = this.options.tables ?? (await this.discoverTables());
    let deleted = 0;
    for (const table of tables) {
      try {
        deleted += await this.sweepTable(table);
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        this.keySchemas.delete(table.tableName);
      }
    }
    return { deleted };
  }

  private async discoverTables(): Promise<TtlTable[]> {
    const tables: TtlTable[] = [];
    let start: string | undefined;
    do {
      const page = await this.options.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      for (const tableName of page.TableNames ?? []) {
        try {
          const { TimeToLiveDescription: ttl } = await this.options.client.send(
            new DescribeTimeToLiveCommand({ TableName: tableName }),
          );
          if (ttl?.TimeToLiveStatus === 'ENABLED' && ttl.AttributeName !== undefined) {
            tables.push({ tableName, ttlAttribute: ttl.AttributeName });
          }
        } catch (error) {
          // Deleted between ListTables and DescribeTimeToLive.
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      }
      start = page.LastEvaluatedTableName;
    } while (start !== undefined);
    return tables;
  }

  private async sweepTable(table: TtlTable): Promise<number> {
    const keyNames = await this.keyNamesOf(table.tableName);
    const nowSeconds = Math.floor((this.options.now ?? Date.now)() / 1000);
    const values = {
      ':now': { N: String(nowSeconds) },
      ':oldest': { N: String(nowSeconds - FIVE_YEARS_SECONDS) },
      ':number': { S: 'N' },
    };
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new ScanCommand({
          TableName: table.tableName,
          FilterExpression: 'attribute_type(#ttl, :number) AND #ttl < :now AND #ttl >= :oldest',
          ExpressionAttributeNames: { '#ttl': table.ttlAttribute },
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const key = Object.fromEntries(keyNames.map((name) => [name, item[name] as AttributeValue]));
        const wireKey = toWireImage(key);
        this.options.deletionLog?.record(table.tableName, wireKey);
        try {
          await this.options.client.send(
            new DeleteItemCommand({
              TableName: table.tableName,
              Key: key,
              // The item may have been given a new expiry since the scan: then it must stay.
              ConditionExpression: 'attribute_type(#ttl, :number) AND #ttl < :now',
              ExpressionAttributeNames: { '#ttl': table.ttlAttribute },
              ExpressionAttributeValues: { ':now': values[':now'], ':number': values[':number'] },
            }),
          );
          deleted++;
        } catch (error) {
          this.options.deletionLog?.forget(table.tableName, wireKey);
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return deleted;
  }

  private async keyNamesOf(tableName: string): Promise<readonly string[]> {
    const known = this.keySchemas.get(tableName);
    if (known !== undefined) return known;
    const { Table: table } = await this.options.client.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    const names = (table?.KeySchema ?? []).flatMap((k) =>
      k.AttributeName === undefined ? [] : [k.AttributeName],
    );
    this.keySchemas.set(tableName, names);
    return names;
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => console.error(m)))(message);
  }
}
