import { RolesChanged, SessionRevoked } from '@quanta/contracts/identity';
import { describe, expect, it } from 'vitest';
import { ConcurrentChangeError, UserNotFoundError } from '../errors';
import { buildTestIdentity, testOrigin } from './fakes/buildTestIdentity';
import type { InMemoryRoleRepository } from './fakes/InMemoryRoleRepository';
import type { InMemorySessionRepository } from './fakes/InMemorySessionRepository';
import type { RecordingAuditLog } from './fakes/RecordingAuditLog';
import { verifyEs256 } from './fakes/verifyEs256';

const ada = { email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada' };
const byAdmin = { correlationId: 'corr-roles', changedBy: 'admin-user-id' };

async function setup() {
  const identity = buildTestIdentity();
  const { userId } = await identity.service.signup(ada, testOrigin);
  const pair = await identity.service.login({ email: ada.email, password: ada.password }, testOrigin);
  const rolesIn = async (token: string) =>
    verifyEs256(token, await identity.keyRing.publicJwks()).claims.roles as string[];
  return {
    ...identity,
    roles: identity.roles as InMemoryRoleRepository,
    sessions: identity.sessions as InMemorySessionRepository,
    audit: identity.audit as RecordingAuditLog,
    userId,
    pair,
    rolesIn,
  };
}

describe('RoleAdministration.setRoles', () => {
  it('grants admin with a RolesChanged event, effective at the next refresh, without ending sessions', async () => {
    // Arrange
    const { administration, service, roles, sessions, userId, pair, rolesIn } = await setup();

    // Act
    const result = await administration.setRoles(userId, ['admin'], byAdmin);
    const refreshed = await service.refresh(pair.refreshToken, testOrigin);

    // Assert
    expect(result).toEqual({ userId, roles: ['customer', 'admin'] });
    expect(await rolesIn(pair.accessToken)).toEqual(['customer']);
    expect(await rolesIn(refreshed.accessToken)).toEqual(['customer', 'admin']);
    expect(RolesChanged.envelope.parse(roles.outbox[0]).data).toEqual({
      userId,
      roles: ['customer', 'admin'],
      previousRoles: ['customer'],
      changedBy: 'admin-user-id',
    });
    expect(sessions.outbox).toHaveLength(0);
  });

  it('revokes every session of a user whose admin role is taken away', async () => {
    // Arrange
    const { administration, service, sessions, audit, userId } = await setup();
    await administration.setRoles(userId, ['customer', 'admin'], byAdmin);
    const second = await service.login({ email: ada.email, password: ada.password }, testOrigin);

    // Act
    const result = await administration.setRoles(userId, ['customer'], byAdmin);

    // Assert
    expect(result.roles).toEqual(['customer']);
    const revoked = sessions.outbox.map((e) => SessionRevoked.envelope.parse(e).data);
    expect(revoked).toHaveLength(2);
    expect(revoked.every((d) => d.reason === 'ROLES_CHANGED' && d.userId === userId)).toBe(true);
    await expect(service.refresh(second.refreshToken, testOrigin)).rejects.toThrow();
    expect(audit.of('identity.roles.changed').at(-1)).toMatchObject({
      userId,
      roles: ['customer'],
      previousRoles: ['customer', 'admin'],
      changedBy: 'admin-user-id',
    });
    expect(audit.of('identity.session.revoked')).toHaveLength(2);
  });

  it('keeps customer whatever is asked, and writes nothing when the roles do not change', async () => {
    // Arrange
    const { administration, roles, userId } = await setup();

    // Act
    const unchanged = await administration.setRoles(userId, [], byAdmin);

    // Assert
    expect(unchanged.roles).toEqual(['customer']);
    expect(roles.outbox).toHaveLength(0);
  });

  it('answers 404 for an unknown user', async () => {
    // Arrange
    const { administration } = await setup();

    // Act
    const outcome = administration.setRoles('nobody', ['admin'], byAdmin);

    // Assert
    await expect(outcome).rejects.toBeInstanceOf(UserNotFoundError);
  });

  it('reads again after losing a race, and gives up with 409 when it keeps losing', async () => {
    // Arrange
    const { administration, roles, userId } = await setup();
    roles.conflictsToSimulate = 1;

    // Act
    const afterOneRace = await administration.setRoles(userId, ['admin'], byAdmin);
    roles.conflictsToSimulate = 3;
    const outcome = administration.setRoles(userId, ['customer'], byAdmin);

    // Assert
    expect(afterOneRace.roles).toEqual(['customer', 'admin']);
    await expect(outcome).rejects.toBeInstanceOf(ConcurrentChangeError);
  });
});

describe('RoleAdministration.grant and revoke (the operator command)', () => {
  it('adds and takes away one role by the user’s e-mail', async () => {
    // Arrange
    const { administration, userId } = await setup();
    const operator = { correlationId: 'cli-1', changedBy: 'operator:ops' };

    // Act
    const id = await administration.userIdOf('  ADA@example.com ');
    const granted = await administration.grant(id, 'admin', operator);
    const revoked = await administration.revoke(id, 'admin', operator);

    // Assert
    expect(id).toBe(userId);
    expect(granted.roles).toEqual(['customer', 'admin']);
    expect(revoked.roles).toEqual(['customer']);
    await expect(administration.userIdOf('nobody@example.com')).rejects.toBeInstanceOf(UserNotFoundError);
  });
});
