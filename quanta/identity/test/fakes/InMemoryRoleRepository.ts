import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { ProfileWithRoles, RoleChange, RoleGrant, RoleRepository } from '../../domain/Roles';
import type { InMemoryUserRepository } from './InMemoryUserRepository';

/** In-memory {@link RoleRepository} over an {@link InMemoryUserRepository}'s grants; `outbox` collects its events. */
export class InMemoryRoleRepository implements RoleRepository {
  readonly outbox: AnyEventEnvelope[] = [];
  /** Set to make the next `replace` lose a race (another change came first). */
  conflictsToSimulate = 0;

  constructor(private readonly users: InMemoryUserRepository) {}

  async find(userId: string): Promise<RoleGrant | undefined> {
    if (!this.users.users.has(userId)) return undefined;
    return this.users.grants.get(userId) ?? { roles: [], version: 0 };
  }

  async findProfile(userId: string): Promise<ProfileWithRoles | undefined> {
    const user = this.users.users.get(userId);
    const grant = await this.find(userId);
    if (user === undefined || grant === undefined) return undefined;
    return { userId, email: user.email, displayName: user.displayName, grant };
  }

  async replace(change: RoleChange): Promise<'CHANGED' | 'CONFLICT' | 'NO_USER'> {
    if (!this.users.users.has(change.userId)) return 'NO_USER';
    const current = this.users.grants.get(change.userId)?.version ?? 0;
    if (this.conflictsToSimulate > 0) {
      this.conflictsToSimulate--;
      this.users.grants.set(change.userId, {
        roles: this.users.grants.get(change.userId)?.roles ?? [],
        version: current + 1,
      });
      return 'CONFLICT';
    }
    if (current !== change.expectedVersion) return 'CONFLICT';
    this.users.grants.set(change.userId, { roles: [...change.roles], version: current + 1 });
    this.outbox.push(change.event);
    return 'CHANGED';
  }
}
