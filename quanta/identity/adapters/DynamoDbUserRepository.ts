import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { TableConnection } from '@quanta/runtime/config';
import {
  isConditionalCheckFailed,
  transactionCancellationReasons,
  transactWrite,
} from '@quanta/runtime/dynamodb';
import { outboxPut } from '@quanta/runtime/events';
import type { User, UserRepository } from '../domain/User';
import { EmailTakenError } from '../errors';
import { firstGrantPut } from './DynamoDbRoleRepository';

/** Keys of users and of the e-mail claims that keep addresses unique (`sk` fixed per item type). */
const userKeys = {
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' }),
} as const;

/**
 * {@link UserRepository} on identity's table: `USER#<id>/PROFILE` holds the user, `EMAIL#<email>/EMAIL`
 * claims the address. Signup writes both with `attribute_not_exists(pk)`, the user's first role grant
 * (`USER#<id>/ROLES`, see `DynamoDbRoleRepository`) and the outbox item in one `TransactWriteItems`,
 * so of any number of concurrent signups with one e-mail exactly one succeeds.
 *
 * @example
 * ```ts
 * const users = new DynamoDbUserRepository(table); // functionContext(…).table
 * await users.register(user, userRegistered);
 * ```
 */
export class DynamoDbUserRepository implements UserRepository {
  readonly #table: TableConnection;

  /** @param table identity's table (outbox items expire through its TTL attribute) */
  constructor(table: TableConnection) {
    this.#table = table;
  }

  async register(user: User, roles: readonly string[], event: AnyEventEnvelope): Promise<void> {
    const TableName = this.#table.tableName;
    try {
      await transactWrite(this.#table.client, [
        {
          Put: {
            TableName,
            Item: marshall({
              ...userKeys.email(user.email),
              userId: user.userId,
              createdAt: user.createdAt,
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName,
            Item: marshall({ ...userKeys.user(user.userId), ...user }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        firstGrantPut(this.#table, user.userId, roles, new Date(user.createdAt), 'signup'),
        outboxPut(event, this.#table),
      ]);
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') {
        throw new EmailTakenError(user.email, { cause: error });
      }
      throw error;
    }
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const claim = await this.#get(userKeys.email(email));
    return typeof claim?.userId === 'string' ? this.findById(claim.userId) : undefined;
  }

  async findById(userId: string): Promise<User | undefined> {
    const item = await this.#get(userKeys.user(userId));
    if (item === undefined) return undefined;
    return {
      userId: String(item.userId),
      email: String(item.email),
      displayName: String(item.displayName),
      passwordHash: String(item.passwordHash),
      createdAt: String(item.createdAt),
    };
  }

  async updatePasswordHash(userId: string, passwordHash: string, expectedHash?: string): Promise<boolean> {
    try {
      await this.#table.client.send(
        new UpdateItemCommand({
          TableName: this.#table.tableName,
          Key: marshall(userKeys.user(userId)),
          UpdateExpression: 'SET passwordHash = :hash',
          ConditionExpression:
            expectedHash === undefined ? 'attribute_exists(pk)' : 'passwordHash = :expected',
          ExpressionAttributeValues: marshall({
            ':hash': passwordHash,
            ...(expectedHash === undefined ? {} : { ':expected': expectedHash }),
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async #get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({ TableName: this.#table.tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : unmarshall(Item);
  }
}
