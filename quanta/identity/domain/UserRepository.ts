import type { AnyEventEnvelope } from '@quanta/contracts';
import type { User } from './User';

/** Port: where users live. */
export interface UserRepository {
  /**
   * Stores a new user, claims its e-mail and writes `event` to the outbox, atomically. Rejects with
   * `EmailTakenError` when the e-mail is already claimed (also under concurrent signups).
   */
  register(user: User, event: AnyEventEnvelope): Promise<void>;
  /** The user owning `email` (normalized), if any. */
  findByEmail(email: string): Promise<User | undefined>;
  findById(userId: string): Promise<User | undefined>;
  /** Replaces the password hash (used to upgrade hashing parameters on login). */
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
}
