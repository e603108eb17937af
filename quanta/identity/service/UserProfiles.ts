import type { GetUserResponse } from '@quanta/contracts/identity';
import type { UserRepository } from '../domain/User';
import { UserNotFoundError } from '../errors';

/**
 * Read-only profile use cases (`GET /identity/me`, facade `GetUser`). Separate from
 * `IdentityService` so the facade function needs neither signing keys nor password hashing.
 *
 * @example
 * ```ts
 * const profile = await new UserProfiles(users).get(userId); // { userId, email, displayName, roles }
 * ```
 */
export class UserProfiles {
  readonly #users: UserRepository;

  constructor(users: UserRepository) {
    this.#users = users;
  }

  /** A user's profile, or a 404 `USER_NOT_FOUND`. */
  async get(userId: string): Promise<GetUserResponse> {
    const user = await this.#users.findById(userId);
    if (user === undefined) throw new UserNotFoundError(userId);
    return { userId: user.userId, email: user.email, displayName: user.displayName, roles: [...user.roles] };
  }
}
