import { type AttributeValue, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { SessionRevoked } from '@quanta/contracts/identity';
import type { TableConnection } from '@quanta/runtime/config';
import { transactionCancellationReasons, transactWrite } from '@quanta/runtime/dynamodb';
import { outboxPut } from '@quanta/runtime/events';
import type {
  RefreshTokenRecord,
  RevocationReason,
  RotationOutcome,
  Session,
  SessionRepository,
} from '../domain/Session';

/** Keys of sessions and refresh tokens: `sk` is fixed per type, so `pk` alone names an item. */
const sessionKeys = {
  session: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' }),
  refreshToken: (tokenHash: string) => ({ pk: `REFRESH#${tokenHash}`, sk: 'REFRESH' }),
  /** A user's index of its active sessions: one item per session under the user's partition. */
  userSession: (userId: string, sessionId: string) => ({ pk: `USER#${userId}`, sk: `SESSION#${sessionId}` }),
} as const;

/**
 * {@link SessionRepository} on identity's table: `SESSION#<sid>/SESSION` (status, expiry),
 * `REFRESH#<sha256>/REFRESH` (user, session, expiry, used flag), and the user's index of its sessions,
 * `USER#<uid>/SESSION#<sid>`, which "log out everywhere" queries. Rotation is one transaction —
 * mark the presented token used if it is unused, check the session is active, put the next token,
 * (re)write the index item (so sessions started before the index existed join it at their next
 * refresh) — so two concurrent rotations of one token cannot both succeed. Revocation flips the
 * session to `REVOKED` if it is active, removes its index item and writes `SessionRevoked` to the
 * outbox in the same transaction. TTL removes expired items eventually; reads check expiry themselves.
 *
 * @example
 * ```ts
 * const outcome = await sessions.rotate(current, next, nowSeconds); // 'ROTATED' | 'TOKEN_ALREADY_USED' | 'SESSION_INACTIVE'
 * ```
 */
export class DynamoDbSessionRepository implements SessionRepository {
  readonly #table: TableConnection;

  /** @param table identity's table: sessions and refresh tokens expire through its TTL attribute */
  constructor(table: TableConnection) {
    this.#table = table;
  }

  async start(session: Session, firstToken: RefreshTokenRecord): Promise<void> {
    await transactWrite(this.#table.client, [
      {
        Put: {
          TableName: this.#table.tableName,
          Item: this.#sessionItem(session),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.#table.tableName,
          Item: this.#tokenItem(firstToken),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.#table.tableName,
          Item: this.#indexItem(session.userId, session.sessionId, session.expiresAt),
        },
      },
    ]);
  }

  async activeSessionIds(userId: string, now: number): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#table.client.send(
        new QueryCommand({
          TableName: this.#table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :session)',
          FilterExpression: '#ttl > :now',
          ExpressionAttributeNames: { '#ttl': this.#table.ttlAttribute },
          ExpressionAttributeValues: marshall({
            ':pk': `USER#${userId}`,
            ':session': 'SESSION#',
            ':now': now,
          }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(unmarshall(item).sessionId));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return ids;
  }

  async findSession(sessionId: string): Promise<Session | undefined> {
    const item = await this.#get(sessionKeys.session(sessionId));
    if (item === undefined) return undefined;
    return {
      sessionId: String(item.sessionId),
      userId: String(item.userId),
      status: item.status === 'ACTIVE' ? 'ACTIVE' : 'REVOKED',
      createdAt: String(item.createdAt),
      expiresAt: Number(item[this.#table.ttlAttribute]),
      ...(typeof item.revokedAt === 'string' ? { revokedAt: item.revokedAt } : {}),
      ...(isRevocationReason(item.revokeReason) ? { revokeReason: item.revokeReason } : {}),
    };
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const item = await this.#get(sessionKeys.refreshToken(tokenHash));
    if (item === undefined) return undefined;
    return {
      tokenHash: String(item.tokenHash),
      userId: String(item.userId),
      sessionId: String(item.sessionId),
      issuedAt: String(item.issuedAt),
      expiresAt: Number(item[this.#table.ttlAttribute]),
      used: item.used === true,
    };
  }

  async rotate(current: RefreshTokenRecord, next: RefreshTokenRecord, now: number): Promise<RotationOutcome> {
    const TableName = this.#table.tableName;
    try {
      await transactWrite(this.#table.client, [
        {
          Update: {
            TableName,
            Key: marshall(sessionKeys.refreshToken(current.tokenHash)),
            UpdateExpression: 'SET used = :true, usedAt = :usedAt, replacedBy = :next',
            ConditionExpression: 'attribute_exists(pk) AND used = :false',
            ExpressionAttributeValues: marshall({
              ':true': true,
              ':false': false,
              ':usedAt': new Date(now * 1000).toISOString(),
              ':next': next.tokenHash,
            }),
          },
        },
        {
          ConditionCheck: {
            TableName,
            Key: marshall(sessionKeys.session(current.sessionId)),
            ConditionExpression: '#status = :active AND #ttl > :now',
            ExpressionAttributeNames: { '#status': 'status', '#ttl': this.#table.ttlAttribute },
            ExpressionAttributeValues: marshall({ ':active': 'ACTIVE', ':now': now }),
          },
        },
        { Put: { TableName, Item: this.#tokenItem(next), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName, Item: this.#indexItem(current.userId, current.sessionId, current.expiresAt) } },
      ]);
      return 'ROTATED';
    } catch (error) {
      const reasons = transactionCancellationReasons(error);
      if (reasons === undefined) throw error;
      // A revoked session wins over reuse: the family is already dead, nothing more to revoke.
      if (reasons[1] === 'ConditionalCheckFailed') return 'SESSION_INACTIVE';
      if (reasons[0] === 'ConditionalCheckFailed') return 'TOKEN_ALREADY_USED';
      throw error;
    }
  }

  async revoke(
    sessionId: string,
    userId: string,
    reason: RevocationReason,
    at: Date,
    event: AnyEventEnvelope,
  ): Promise<boolean> {
    const TableName = this.#table.tableName;
    try {
      await transactWrite(this.#table.client, [
        {
          Update: {
            TableName,
            Key: marshall(sessionKeys.session(sessionId)),
            UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revokeReason = :reason',
            ConditionExpression: '#status = :active AND userId = :userId',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({
              ':revoked': 'REVOKED',
              ':active': 'ACTIVE',
              ':at': at.toISOString(),
              ':reason': reason,
              ':userId': userId,
            }),
          },
        },
        { Delete: { TableName, Key: marshall(sessionKeys.userSession(userId, sessionId)) } },
        outboxPut(event, { tableName: TableName, ttlAttribute: this.#table.ttlAttribute, now: at }),
      ]);
      return true;
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  #sessionItem(session: Session) {
    const { expiresAt, ...rest } = session;
    return marshall({
      ...sessionKeys.session(session.sessionId),
      ...rest,
      [this.#table.ttlAttribute]: expiresAt,
    });
  }

  #indexItem(userId: string, sessionId: string, expiresAt: number) {
    return marshall({
      ...sessionKeys.userSession(userId, sessionId),
      sessionId,
      [this.#table.ttlAttribute]: expiresAt,
    });
  }

  #tokenItem(token: RefreshTokenRecord) {
    const { expiresAt, ...rest } = token;
    return marshall({
      ...sessionKeys.refreshToken(token.tokenHash),
      ...rest,
      [this.#table.ttlAttribute]: expiresAt,
    });
  }

  async #get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.#table.client.send(
      new GetItemCommand({ TableName: this.#table.tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : unmarshall(Item);
  }
}

const REVOCATION_REASONS: ReadonlySet<unknown> = new Set(SessionRevoked.data.shape.reason.options);

function isRevocationReason(value: unknown): value is RevocationReason {
  return REVOCATION_REASONS.has(value);
}
