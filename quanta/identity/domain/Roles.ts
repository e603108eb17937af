import type { AnyEventEnvelope } from '@quanta/contracts/envelope';

/** Role every user has; it cannot be taken away. */
export const CUSTOMER_ROLE = 'customer';
/** Role of the administrators (catalog management, role management). */
export const ADMIN_ROLE = 'admin';

/**
 * Roles granted at signup: `customer`, plus `admin` when the e-mail is one of `adminEmails`
 * (compared case-insensitively). `adminEmails` is a local-development convenience; production
 * refuses it at synth, so there every admin is granted explicitly.
 *
 * @example
 * ```ts
 * rolesFor('Root@Quanta.local', ['root@quanta.local']); // ['customer', 'admin']
 * ```
 */
export function rolesFor(email: string, adminEmails: readonly string[]): string[] {
  const normalized = email.trim().toLowerCase();
  const isAdmin = adminEmails.some((a) => a.trim().toLowerCase() === normalized);
  return isAdmin ? [CUSTOMER_ROLE, ADMIN_ROLE] : [CUSTOMER_ROLE];
}

/**
 * The roles a user holds after a change: the requested ones, each once, with `customer` always kept,
 * in a stable order (`customer` first, then alphabetical), so equal sets compare equal.
 *
 * @example
 * ```ts
 * normalizeRoles(['admin']); // ['customer', 'admin']
 * ```
 */
export function normalizeRoles(roles: readonly string[]): string[] {
  const others = [...new Set(roles)].filter((r) => r !== CUSTOMER_ROLE).sort();
  return [CUSTOMER_ROLE, ...others];
}

/** The roles of a user and the version of their grant (for optimistic concurrency). */
export interface RoleGrant {
  readonly roles: readonly string[];
  /**
   * Increases with every change; 0 when no grant item exists yet (a user registered before roles
   * lived apart, whose roles are still those frozen on its profile).
   */
  readonly version: number;
}

/** One change of a user's roles, as {@link RoleRepository.replace} applies it. */
export interface RoleChange {
  readonly userId: string;
  readonly roles: readonly string[];
  /** The version read before deciding the change; the write happens only if it is still current. */
  readonly expectedVersion: number;
  /** Who changed them: an admin's user id, or `operator:<name>`. */
  readonly changedBy: string;
  readonly at: Date;
  /** The `RolesChanged` event, written to the outbox in the same transaction. */
  readonly event: AnyEventEnvelope;
}

/** A user's public profile and their current grant, read together (`GET /identity/me`, `GetUser`). */
export interface ProfileWithRoles {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly grant: RoleGrant;
}

/** Port: the roles granted to users, kept apart from their credentials. */
export interface RoleRepository {
  /** The user's roles, or `undefined` when there is no such user. */
  find(userId: string): Promise<RoleGrant | undefined>;
  /** The user's profile with their roles, in one read; `undefined` when there is no such user. */
  findProfile(userId: string): Promise<ProfileWithRoles | undefined>;
  /**
   * Stores `change.roles` and its event atomically, if the grant is still at `expectedVersion` and
   * the user exists. Resolves `'CHANGED'`, `'CONFLICT'` (someone changed them first; read again) or
   * `'NO_USER'`.
   */
  replace(change: RoleChange): Promise<'CHANGED' | 'CONFLICT' | 'NO_USER'>;
}
