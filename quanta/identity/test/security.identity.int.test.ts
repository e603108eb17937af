import { type DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { RolesChanged, SessionRevoked } from '@quanta/contracts/identity';
import { createEnvelope } from '@quanta/runtime/events';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRoleRepository } from '../adapters/DynamoDbRoleRepository';
import { DynamoDbSessionRepository } from '../adapters/DynamoDbSessionRepository';
import { DynamoDbThrottleStore } from '../adapters/DynamoDbThrottleStore';
import { DynamoDbUserRepository } from '../adapters/DynamoDbUserRepository';
import { ScryptPasswordHasher } from '../adapters/ScryptPasswordHasher';
import { hashToken } from '../domain/Session';
import { buildTestIdentity, testOrigin } from './fakes/buildTestIdentity';
import { verifyEs256 } from './fakes/verifyEs256';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let table: { client: DynamoDBClient; tableName: string; ttlAttribute: string };

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  table = {
    client,
    tableName: await createTestTable(client, 'identity-security'),
    ttlAttribute: 'expiresAt',
  };
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

let unique = 0;
const keyFor = (what: string) => `${what}#${++unique}-${Date.now()}`;
const NOW = 1_800_000_000;

async function put(item: Record<string, unknown>): Promise<void> {
  await client.send(new PutItemCommand({ TableName: table.tableName, Item: marshall(item) }));
}

async function outbox(type: string): Promise<unknown[]> {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'begins_with(pk, :outbox)',
      ExpressionAttributeValues: marshall({ ':outbox': 'OUTBOX#' }),
      ConsistentRead: true,
    }),
  );
  return Items.map((i) => eventEnvelopeBaseSchema.parse(JSON.parse(String(unmarshall(i).envelope)))).filter(
    (e) => e.type === type,
  );
}

describe('DynamoDbThrottleStore', () => {
  it('lets exactly maxFailures of 30 concurrent attempts through, then holds the lock until it ends', async () => {
    // Arrange
    const store = new DynamoDbThrottleStore(table);
    const key = keyFor('login-account');

    // Act
    const claims = await Promise.all(
      Array.from({ length: 30 }, () => store.claimAttempt(key, 10, NOW, 86_400)),
    );
    const reachedLimit = claims.filter((c) => c.granted && c.failures === 10);
    const locked = await store.lock(key, 10, NOW + 60, NOW, 86_400);
    const lockedAgain = await store.lock(key, 10, NOW + 60, NOW, 86_400);
    const duringLock = await store.claimAttempt(key, 10, NOW + 30, 86_400);
    const afterLock = await store.claimAttempt(key, 10, NOW + 60, 86_400);

    // Assert
    expect(claims.filter((c) => c.granted)).toHaveLength(10);
    expect(reachedLimit).toHaveLength(1);
    expect(claims.filter((c) => !c.granted)).toHaveLength(20);
    expect([locked, lockedAgain]).toEqual([true, false]);
    expect(duringLock).toEqual({ granted: false, lockedUntil: NOW + 60 });
    expect(afterLock).toEqual({ granted: true, failures: 1, locks: 1 });
  });

  it('forgets failures on clear, and treats a counter past its TTL as absent even before TTL deletes it', async () => {
    // Arrange
    const store = new DynamoDbThrottleStore(table);
    const cleared = keyFor('login-account');
    const stale = keyFor('login-account');
    for (let i = 0; i < 5; i++) await store.claimAttempt(cleared, 10, NOW, 86_400);
    for (let i = 0; i < 10; i++) await store.claimAttempt(stale, 10, NOW, 100);

    // Act
    await store.clear(cleared);
    const afterClear = await store.claimAttempt(cleared, 10, NOW, 86_400);
    const afterMemory = await store.claimAttempt(stale, 10, NOW + 100, 100);

    // Assert
    expect(afterClear).toEqual({ granted: true, failures: 1, locks: 0 });
    expect(afterMemory).toEqual({ granted: true, failures: 1, locks: 0 });
  });

  it('counts 40 concurrent hits exactly, and opens a new window once the old one ends', async () => {
    // Arrange
    const store = new DynamoDbThrottleStore(table);
    const key = keyFor('signup-ip');

    // Act
    const hits = await Promise.all(Array.from({ length: 40 }, () => store.hit(key, 300, NOW)));
    const later = await store.hit(key, 300, NOW + 299);
    const nextWindow = await store.hit(key, 300, NOW + 300);

    // Assert
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(new Set(hits.map((h) => h.windowEndsAt))).toEqual(new Set([NOW + 300]));
    expect(later).toEqual({ count: 41, windowEndsAt: NOW + 300 });
    expect(nextWindow).toEqual({ count: 1, windowEndsAt: NOW + 600 });
  });
});

describe('DynamoDbRoleRepository', () => {
  it('reads the roles frozen on a profile written before roles lived apart, then replaces them with a grant', async () => {
    // Arrange
    const roles = new DynamoDbRoleRepository(table);
    const userId = keyFor('legacy');
    await put({
      pk: `USER#${userId}`,
      sk: 'PROFILE',
      userId,
      email: `${userId}@example.com`,
      roles: ['customer', 'admin'],
    });
    const event = createEnvelope(
      RolesChanged,
      { userId, roles: ['customer'], previousRoles: ['customer', 'admin'], changedBy: 'operator:test' },
      { correlationId: 'c' },
    );
    const change = { userId, roles: ['customer'], changedBy: 'operator:test', at: new Date(), event };

    // Act
    const legacy = await roles.find(userId);
    const stale = await roles.replace({ ...change, expectedVersion: 3 });
    const changed = await roles.replace({ ...change, expectedVersion: 0 });
    const again = await roles.replace({ ...change, expectedVersion: 0 });
    const granted = await roles.find(userId);

    // Assert
    expect(legacy).toEqual({ roles: ['customer', 'admin'], version: 0 });
    expect([stale, changed, again]).toEqual(['CONFLICT', 'CHANGED', 'CONFLICT']);
    expect(granted).toEqual({ roles: ['customer'], version: 1 });
    const events = (await outbox('RolesChanged')).filter((e) => (e as typeof event).data.userId === userId);
    expect(events).toHaveLength(1);
  });

  it('reads a profile with its current roles in one query, and nothing for an unknown user', async () => {
    // Arrange
    const roles = new DynamoDbRoleRepository(table);
    const userId = keyFor('profile');
    const profile = { pk: `USER#${userId}`, sk: 'PROFILE', userId, email: `${userId}@example.com` };
    await put({ ...profile, displayName: 'Ann', roles: ['customer'] });
    await put({ pk: `USER#${userId}`, sk: 'ROLES', roles: ['customer', 'admin'], version: 2 });
    // A session index item sorts after ROLES and must not be read as either.
    await put({ pk: `USER#${userId}`, sk: 'SESSION#s1', sessionId: 's1' });

    // Act
    const found = await roles.findProfile(userId);
    const unknown = await roles.findProfile(keyFor('nobody'));

    // Assert
    expect(found).toEqual({
      userId,
      email: `${userId}@example.com`,
      displayName: 'Ann',
      grant: { roles: ['customer', 'admin'], version: 2 },
    });
    expect(unknown).toBeUndefined();
  });

  it('refuses to grant roles to a user that does not exist', async () => {
    // Arrange
    const roles = new DynamoDbRoleRepository(table);
    const userId = keyFor('ghost');
    const event = createEnvelope(
      RolesChanged,
      { userId, roles: ['customer', 'admin'], previousRoles: [], changedBy: 'operator:test' },
      { correlationId: 'c' },
    );

    // Act
    const outcome = await roles.replace({
      userId,
      roles: ['customer', 'admin'],
      expectedVersion: 0,
      changedBy: 'operator:test',
      at: new Date(),
      event,
    });

    // Assert
    expect(outcome).toBe('NO_USER');
    expect(await roles.find(userId)).toBeUndefined();
  });
});

describe('identity’s sessions and roles on the table', () => {
  function identityOnTable() {
    return buildTestIdentity({
      users: new DynamoDbUserRepository(table),
      roles: new DynamoDbRoleRepository(table),
      sessions: new DynamoDbSessionRepository(table),
      throttles: new DynamoDbThrottleStore(table),
      hasher: new ScryptPasswordHasher({ logN: 10, r: 8, p: 1 }),
    });
  }

  it('indexes sessions per user, so revoking a role ends them all in the table and the outbox', async () => {
    // Arrange
    const identity = identityOnTable();
    const email = `${keyFor('admin')}@example.com`;
    const credentials = { email, password: 'correct horse battery' };
    const { userId } = await identity.service.signup({ ...credentials, displayName: 'Ad' }, testOrigin);
    await identity.administration.setRoles(userId, ['admin'], {
      correlationId: 'c',
      changedBy: 'operator:test',
    });
    const pairs = [
      await identity.service.login(credentials, testOrigin),
      await identity.service.login(credentials, testOrigin),
    ];
    const jwks = await identity.keyRing.publicJwks();
    const claims = pairs.map((p) => verifyEs256(p.accessToken, jwks).claims);

    // Act
    const now = Math.floor(identity.clock.now.getTime() / 1000);
    const active = await identity.sessions.activeSessionIds(userId, now);
    await identity.administration.setRoles(userId, ['customer'], {
      correlationId: 'c',
      changedBy: 'operator:test',
    });
    const afterwards = await identity.sessions.activeSessionIds(userId, now);

    // Assert
    expect(claims.every((c) => (c.roles as string[]).includes('admin'))).toBe(true);
    expect(active.sort()).toEqual(claims.map((c) => String(c.sid)).sort());
    expect(afterwards).toEqual([]);
    const revoked = (await outbox('SessionRevoked'))
      .map((e) => SessionRevoked.envelope.parse(e).data)
      .filter((d) => d.userId === userId);
    expect(revoked.map((d) => d.reason)).toEqual(['ROLES_CHANGED', 'ROLES_CHANGED']);
    for (const sid of active) {
      expect(await identity.sessions.findSession(sid)).toMatchObject({
        status: 'REVOKED',
        revokeReason: 'ROLES_CHANGED',
      });
    }
  });

  it('adds a session started before the index existed to it at its next refresh', async () => {
    // Arrange
    const identity = identityOnTable();
    const email = `${keyFor('old-timer')}@example.com`;
    const { userId } = await identity.service.signup(
      { email, password: 'correct horse battery', displayName: 'Old' },
      testOrigin,
    );
    const sessionId = keyFor('legacy-session');
    const token = `legacy-refresh-token-${sessionId}`;
    const end = Math.floor(identity.clock.now.getTime() / 1000) + 3600;
    await put({
      pk: `SESSION#${sessionId}`,
      sk: 'SESSION',
      sessionId,
      userId,
      status: 'ACTIVE',
      createdAt: 'x',
      expiresAt: end,
    });
    const tokenHash = hashToken(token);
    await put({
      pk: `REFRESH#${tokenHash}`,
      sk: 'REFRESH',
      tokenHash,
      userId,
      sessionId,
      issuedAt: 'x',
      expiresAt: end,
      used: false,
    });
    const now = Math.floor(identity.clock.now.getTime() / 1000);
    const before = await identity.sessions.activeSessionIds(userId, now);

    // Act
    await identity.service.refresh(token, testOrigin);
    const after = await identity.sessions.activeSessionIds(userId, now);
    await identity.service.logoutAll({ userId, sessionId }, testOrigin);

    // Assert
    expect(before).toEqual([]);
    expect(after).toEqual([sessionId]);
    expect(await identity.sessions.findSession(sessionId)).toMatchObject({
      status: 'REVOKED',
      revokeReason: 'LOGOUT_ALL',
    });
  });
});
