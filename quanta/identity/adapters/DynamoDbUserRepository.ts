import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts';
import { outboxPut, transactionCancellationReasons, transactWrite } from '@quanta/runtime';
import type { User } from '../domain/User';
import type { UserRepository } from '../domain/UserRepository';
import { EmailTakenError } from '../errors';
import { identityKeys } from './identityKeys';

/** Options of {@link DynamoDbUserRepository}. */
export interface DynamoDbUserRepositoryOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** TTL attribute of the table (outbox items expire through it). @default 'expiresAt' */
  readonly ttlAttribute?: string;
}

/**
 * {@link UserRepository} on identity's table: `USER#<id>/PROFILE` holds the user, `EMAIL#<email>/EMAIL`
 * claims the address. Signup writes both with `attribute_not_exists(pk)` plus the outbox item in one
 * `TransactWriteItems`, so of any number of concurrent signups with one e-mail exactly one succeeds.
 *
 * @example
 * ```ts
 * const users = new DynamoDbUserRepository({ client, tableName: 'quanta-identity' });
 * await users.register(user, userRegistered);
 * ```
 */
export class DynamoDbUserRepository implements UserRepository {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #ttlAttribute: string;

  constructor(options: DynamoDbUserRepositoryOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#ttlAttribute = options.ttlAttribute ?? 'expiresAt';
  }

  async register(user: User, event: AnyEventEnvelope): Promise<void> {
    const TableName = this.#tableName;
    try {
      await transactWrite(this.#client, [
        {
          Put: {
            TableName,
            Item: marshall({
              ...identityKeys.email(user.email),
              userId: user.userId,
              createdAt: user.createdAt,
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName,
            Item: marshall({ ...identityKeys.user(user.userId), ...user, roles: [...user.roles] }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        outboxPut(event, { tableName: TableName, ttlAttribute: this.#ttlAttribute }),
      ]);
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') {
        throw new EmailTakenError(user.email, { cause: error });
      }
      throw error;
    }
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const claim = await this.#get(identityKeys.email(email));
    return typeof claim?.userId === 'string' ? this.findById(claim.userId) : undefined;
  }

  async findById(userId: string): Promise<User | undefined> {
    const item = await this.#get(identityKeys.user(userId));
    if (item === undefined) return undefined;
    return {
      userId: String(item.userId),
      email: String(item.email),
      displayName: String(item.displayName),
      roles: Array.isArray(item.roles) ? item.roles.map(String) : [],
      passwordHash: String(item.passwordHash),
      createdAt: String(item.createdAt),
    };
  }

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: marshall(identityKeys.user(userId)),
        UpdateExpression: 'SET passwordHash = :hash',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: marshall({ ':hash': passwordHash }),
      }),
    );
  }

  async #get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : unmarshall(Item);
  }
}
