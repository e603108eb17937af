import { RolesChanged, type UserRolesResponse } from '@quanta/contracts/identity';
import { createEnvelope } from '@quanta/runtime/events';
import type { AuditLog } from '../domain/Audit';
import { normalizeRoles, type RoleRepository } from '../domain/Roles';
import type { UserRepository } from '../domain/User';
import { ConcurrentChangeError, UserNotFoundError } from '../errors';
import type { SessionRevocation } from './SessionRevocation';

/** Dependencies of {@link RoleAdministration}. */
interface RoleAdministrationOptions {
  readonly users: UserRepository;
  readonly roles: RoleRepository;
  readonly revocation: SessionRevocation;
  readonly audit: AuditLog;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** Who changes roles, and the request it belongs to. */
export interface RoleChangeOrigin {
  readonly correlationId: string;
  /** An admin's user id, or `operator:<name>` for the operator command. */
  readonly changedBy: string;
}

/** Reads of a changed grant that raced with another change, before giving up with a 409. */
const MAX_ATTEMPTS = 3;

/**
 * Grants and revokes roles: the admin route `PUT /identity/users/{userId}/roles` and the operator
 * command (`npm run identity -- grant-role <email> admin`). A change is stored with its `RolesChanged`
 * event in one transaction and applies at the user's next token refresh; when it takes a role away,
 * every session of the user is revoked too, so no access token keeps a role for its remaining lifetime.
 *
 * @example
 * ```ts
 * const admin = new RoleAdministration({ users, roles, revocation, audit });
 * await admin.setRoles(userId, ['customer', 'admin'], { correlationId, changedBy: callerId });
 * ```
 */
export class RoleAdministration {
  readonly #o: Required<RoleAdministrationOptions>;

  constructor(options: RoleAdministrationOptions) {
    this.#o = { now: () => new Date(), ...options };
  }

  /** The user's roles, or a 404 `USER_NOT_FOUND`. */
  async rolesOf(userId: string): Promise<UserRolesResponse> {
    const grant = await this.#o.roles.find(userId);
    if (grant === undefined) throw new UserNotFoundError(userId);
    return { userId, roles: [...grant.roles] };
  }

  /** The id of the user with `email`, or a 404 `USER_NOT_FOUND`. */
  async userIdOf(email: string): Promise<string> {
    const user = await this.#o.users.findByEmail(email.trim().toLowerCase());
    if (user === undefined) throw new UserNotFoundError(email);
    return user.userId;
  }

  /**
   * Makes `requested` (with `customer`, always) the user's roles. A no-op when they already are;
   * otherwise emits `RolesChanged`, and revokes the user's sessions if a role was taken away.
   */
  async setRoles(
    userId: string,
    requested: readonly string[],
    origin: RoleChangeOrigin,
  ): Promise<UserRolesResponse> {
    const roles = normalizeRoles(requested);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.#o.roles.find(userId);
      if (current === undefined) throw new UserNotFoundError(userId);
      const previous = normalizeRoles(current.roles);
      if (sameRoles(previous, roles)) return { userId, roles };
      const at = this.#o.now();
      const event = createEnvelope(
        RolesChanged,
        { userId, roles, previousRoles: previous, changedBy: origin.changedBy },
        { correlationId: origin.correlationId, occurredAt: at },
      );
      const outcome = await this.#o.roles.replace({
        userId,
        roles,
        expectedVersion: current.version,
        changedBy: origin.changedBy,
        at,
        event,
      });
      if (outcome === 'NO_USER') throw new UserNotFoundError(userId);
      if (outcome === 'CONFLICT') continue;
      this.#o.audit.record({
        event: 'identity.roles.changed',
        correlationId: origin.correlationId,
        userId,
        roles,
        previousRoles: previous,
        changedBy: origin.changedBy,
      });
      if (previous.some((role) => !roles.includes(role))) {
        await this.#o.revocation.revokeAll(userId, 'ROLES_CHANGED', origin);
      }
      return { userId, roles };
    }
    throw new ConcurrentChangeError(`Roles of user ${userId} kept changing concurrently; read them again`);
  }

  /** Adds `role` to the user's roles (see {@link setRoles}). */
  async grant(userId: string, role: string, origin: RoleChangeOrigin): Promise<UserRolesResponse> {
    const { roles } = await this.rolesOf(userId);
    return this.setRoles(userId, [...roles, role], origin);
  }

  /** Takes `role` away from the user (see {@link setRoles}); `customer` cannot be taken away. */
  async revoke(userId: string, role: string, origin: RoleChangeOrigin): Promise<UserRolesResponse> {
    const { roles } = await this.rolesOf(userId);
    return this.setRoles(
      userId,
      roles.filter((r) => r !== role),
      origin,
    );
  }
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role, i) => role === b[i]);
}
