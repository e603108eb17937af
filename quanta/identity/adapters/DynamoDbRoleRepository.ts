import { QueryCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import { transactionCancellationReasons, transactWrite } from '@quanta/runtime/dynamodb';
import { outboxPut } from '@quanta/runtime/events';
import type { ProfileWithRoles, RoleChange, RoleGrant, RoleRepository } from '../domain/Roles';

/** The user's items this repository reads: its profile (`PROFILE`) and its grant (`ROLES`). */
const PROFILE_SK = 'PROFILE';
const ROLES_SK = 'ROLES';

const userPk = (userId: string) => `USER#${userId}`;

/**
 * The `Put` of a user's first grant (version 1), for the signup transaction.
 *
 * @example
 * ```ts
 * await transactWrite(client, [profilePut, firstGrantPut(table, userId, ['customer'], new Date(), 'signup')]);
 * ```
 */
export function firstGrantPut(
  table: Pick<TableConnection, 'tableName'>,
  userId: string,
  roles: readonly string[],
  at: Date,
  changedBy: string,
): TransactWriteItem {
  return {
    Put: {
      TableName: table.tableName,
      Item: marshall({
        pk: userPk(userId),
        sk: ROLES_SK,
        roles: [...roles],
        version: 1,
        updatedAt: at.toISOString(),
        changedBy,
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * {@link RoleRepository} on identity's table: a user's roles live in their own item,
 * `USER#<id>/ROLES` (`roles`, `version`, `updatedAt`, `changedBy`), beside the profile and
 * credentials in `USER#<id>/PROFILE`. One strongly consistent query reads both (`sk BETWEEN PROFILE
 * AND ROLES`): the grant when there is one; otherwise the roles frozen on the profile by a signup
 * made before roles lived apart (version 0), so existing users keep theirs until a first change
 * writes a grant. A change is one transaction: the grant, written only at the version read before
 * (optimistic concurrency), a check that the profile exists, and the `RolesChanged` outbox item.
 *
 * @example
 * ```ts
 * const roles = new DynamoDbRoleRepository(table); // functionContext(…).table
 * const grant = await roles.find(userId); // { roles: ['customer', 'admin'], version: 3 }
 * ```
 */
export class DynamoDbRoleRepository implements RoleRepository {
  readonly #table: TableConnection;

  /** @param table identity's table (outbox items expire through its TTL attribute) */
  constructor(table: TableConnection) {
    this.#table = table;
  }

  async find(userId: string): Promise<RoleGrant | undefined> {
    return (await this.#read(userId))?.grant;
  }

  async findProfile(userId: string): Promise<ProfileWithRoles | undefined> {
    const found = await this.#read(userId);
    if (found === undefined) return undefined;
    const { profile, grant } = found;
    return {
      userId: String(profile.userId),
      email: String(profile.email),
      displayName: String(profile.displayName),
      grant,
    };
  }

  /** The profile item and the grant, from one strongly consistent query. */
  async #read(userId: string): Promise<{ profile: Record<string, unknown>; grant: RoleGrant } | undefined> {
    const { Items = [] } = await this.#table.client.send(
      new QueryCommand({
        TableName: this.#table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :profile AND :roles',
        ExpressionAttributeValues: marshall({
          ':pk': userPk(userId),
          ':profile': PROFILE_SK,
          ':roles': ROLES_SK,
        }),
        ConsistentRead: true,
      }),
    );
    const items = Items.map((item) => unmarshall(item));
    const profile = items.find((item) => item.sk === PROFILE_SK);
    if (profile === undefined) return undefined;
    const grant = items.find((item) => item.sk === ROLES_SK);
    if (grant !== undefined) {
      return { profile, grant: { roles: stringsOf(grant.roles), version: Number(grant.version) } };
    }
    return { profile, grant: { roles: stringsOf(profile.roles), version: 0 } };
  }

  async replace(change: RoleChange): Promise<'CHANGED' | 'CONFLICT' | 'NO_USER'> {
    const TableName = this.#table.tableName;
    const key = { pk: userPk(change.userId), sk: ROLES_SK };
    try {
      await transactWrite(this.#table.client, [
        {
          ConditionCheck: {
            TableName,
            Key: marshall({ pk: userPk(change.userId), sk: PROFILE_SK }),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Put: {
            TableName,
            Item: marshall({
              ...key,
              roles: [...change.roles],
              version: change.expectedVersion + 1,
              updatedAt: change.at.toISOString(),
              changedBy: change.changedBy,
            }),
            ConditionExpression:
              change.expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ...(change.expectedVersion === 0
              ? {}
              : { ExpressionAttributeValues: marshall({ ':expected': change.expectedVersion }) }),
          },
        },
        outboxPut(change.event, {
          tableName: TableName,
          ttlAttribute: this.#table.ttlAttribute,
          now: change.at,
        }),
      ]);
      return 'CHANGED';
    } catch (error) {
      const reasons = transactionCancellationReasons(error);
      if (reasons?.[0] === 'ConditionalCheckFailed') return 'NO_USER';
      if (reasons?.[1] === 'ConditionalCheckFailed') return 'CONFLICT';
      throw error;
    }
  }
}

function stringsOf(value: unknown): string[] {
  if (value instanceof Set) return [...value].map(String);
  return Array.isArray(value) ? value.map(String) : [];
}
