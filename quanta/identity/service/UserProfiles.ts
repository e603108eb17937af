import type { GetUserResponse } from '@quanta/contracts/identity';
import type { RoleRepository } from '../domain/Roles';
import { UserNotFoundError } from '../errors';

/**
 * Read-only profile use cases (`GET /identity/me`, facade `GetUser`). Separate from
 * `IdentityService` so the facade function needs neither signing keys nor password hashing. The
 * roles are the granted ones as they are now, which a token issued earlier may not carry yet. One
 * read serves both, as `GET /identity/me` is on every client's hot path.
 *
 * @example
 * ```ts
 * const profile = await new UserProfiles(roles).get(userId); // { userId, email, displayName, roles }
 * ```
 */
export class UserProfiles {
  readonly #roles: RoleRepository;

  constructor(roles: RoleRepository) {
    this.#roles = roles;
  }

  /** A user's profile, or a 404 `USER_NOT_FOUND`. */
  async get(userId: string): Promise<GetUserResponse> {
    const found = await this.#roles.findProfile(userId);
    if (found === undefined) throw new UserNotFoundError(userId);
    return {
      userId: found.userId,
      email: found.email,
      displayName: found.displayName,
      roles: [...found.grant.roles],
    };
  }
}
