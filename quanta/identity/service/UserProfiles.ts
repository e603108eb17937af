import type { GetUserResponse } from '@quanta/contracts/identity';
import type { RoleRepository } from '../domain/Roles';
import type { UserRepository } from '../domain/User';
import { UserNotFoundError } from '../errors';

/**
 * Read-only profile use cases (`GET /identity/me`, facade `GetUser`). Separate from
 * `IdentityService` so the facade function needs neither signing keys nor password hashing. The
 * roles are the granted ones as they are now, which a token issued earlier may not carry yet.
 *
 * @example
 * ```ts
 * const profile = await new UserProfiles(users, roles).get(userId); // { userId, email, displayName, roles }
 * ```
 */
export class UserProfiles {
  readonly #users: UserRepository;
  readonly #roles: RoleRepository;

  constructor(users: UserRepository, roles: RoleRepository) {
    this.#users = users;
    this.#roles = roles;
  }

  /** A user's profile, or a 404 `USER_NOT_FOUND`. */
  async get(userId: string): Promise<GetUserResponse> {
    const [user, grant] = await Promise.all([this.#users.findById(userId), this.#roles.find(userId)]);
    if (user === undefined || grant === undefined) throw new UserNotFoundError(userId);
    return { userId: user.userId, email: user.email, displayName: user.displayName, roles: [...grant.roles] };
  }
}
