import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableConnection } from '@quanta/runtime/config';
import type { UserDirectory } from '../domain/Connection';
import { chatKeys } from './chatKeys';

/**
 * {@link UserDirectory} on chat's table: `USER#<userId>/PROFILE` with the display name, written from
 * identity's `UserRegistered` (a plain put: every copy of the event writes the same item).
 *
 * @example
 * ```ts
 * const users = new DynamoDbUserDirectory(table);
 * await users.remember('u-1', 'Ada');
 * await users.displayNameOf('u-1'); // 'Ada'
 * ```
 */
export class DynamoDbUserDirectory implements UserDirectory {
  readonly #table: TableConnection;

  constructor(table: TableConnection) {
    this.#table = table;
  }

  async displayNameOf(userId: string): Promise<string | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({ TableName: this.#table.tableName, Key: marshall(chatKeys.user(userId)) }),
    );
    const displayName = Item === undefined ? undefined : unmarshall(Item).displayName;
    return typeof displayName === 'string' ? displayName : undefined;
  }

  async remember(userId: string, displayName: string): Promise<void> {
    await this.#table.client.send(
      new PutItemCommand({
        TableName: this.#table.tableName,
        Item: marshall({ ...chatKeys.user(userId), type: 'USER', userId, displayName }),
      }),
    );
  }
}
