import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { RoleGrant } from '../../domain/Roles';
import type { User, UserRepository } from '../../domain/User';
import { EmailTakenError } from '../../errors';

/**
 * In-memory {@link UserRepository} for service tests; `outbox` collects the events it was given and
 * `grants` holds each user's roles (shared with `InMemoryRoleRepository`, as the table is).
 */
export class InMemoryUserRepository implements UserRepository {
  readonly users = new Map<string, User>();
  readonly grants = new Map<string, RoleGrant>();
  readonly outbox: AnyEventEnvelope[] = [];

  async register(user: User, roles: readonly string[], event: AnyEventEnvelope): Promise<void> {
    if ([...this.users.values()].some((u) => u.email === user.email)) throw new EmailTakenError(user.email);
    this.users.set(user.userId, user);
    this.grants.set(user.userId, { roles: [...roles], version: 1 });
    this.outbox.push(event);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    return [...this.users.values()].find((u) => u.email === email);
  }

  async findById(userId: string): Promise<User | undefined> {
    return this.users.get(userId);
  }

  async updatePasswordHash(userId: string, passwordHash: string, expectedHash?: string): Promise<boolean> {
    const user = this.users.get(userId);
    if (user === undefined || (expectedHash !== undefined && user.passwordHash !== expectedHash))
      return false;
    this.users.set(userId, { ...user, passwordHash });
    return true;
  }
}
