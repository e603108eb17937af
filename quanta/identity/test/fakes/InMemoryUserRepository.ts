import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { User, UserRepository } from '../../domain/User';
import { EmailTakenError } from '../../errors';

/** In-memory {@link UserRepository} for service tests; `outbox` collects the events it was given. */
export class InMemoryUserRepository implements UserRepository {
  readonly users = new Map<string, User>();
  readonly outbox: AnyEventEnvelope[] = [];

  async register(user: User, event: AnyEventEnvelope): Promise<void> {
    if ([...this.users.values()].some((u) => u.email === user.email)) throw new EmailTakenError(user.email);
    this.users.set(user.userId, user);
    this.outbox.push(event);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    return [...this.users.values()].find((u) => u.email === email);
  }

  async findById(userId: string): Promise<User | undefined> {
    return this.users.get(userId);
  }

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    const user = this.users.get(userId);
    if (user !== undefined) this.users.set(userId, { ...user, passwordHash });
  }
}
