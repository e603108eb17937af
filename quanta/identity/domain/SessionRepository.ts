import type { AnyEventEnvelope } from '@quanta/contracts';
import type { RefreshTokenRecord } from './RefreshTokenRecord';
import type { RevocationReason, Session } from './Session';

/** Outcome of {@link SessionRepository.rotate}. */
export type RotationOutcome =
  /** The current token is now used and the next one stored. */
  | 'ROTATED'
  /** The current token had already been used (or vanished): reuse. Nothing was written. */
  | 'TOKEN_ALREADY_USED'
  /** The session is revoked or over. Nothing was written. */
  | 'SESSION_INACTIVE';

/** Port: sessions and their refresh tokens. */
export interface SessionRepository {
  /** Stores a new active session and its first refresh token, atomically. */
  start(session: Session, firstToken: RefreshTokenRecord): Promise<void>;
  findSession(sessionId: string): Promise<Session | undefined>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Exchanges `current` for `next` atomically, only if `current` is unused and its session is
   * active at `now` (epoch seconds): of two concurrent rotations of one token, exactly one wins.
   */
  rotate(current: RefreshTokenRecord, next: RefreshTokenRecord, now: number): Promise<RotationOutcome>;
  /**
   * Revokes an active session of `userId` and writes `event` (its `SessionRevoked`) to the outbox,
   * atomically. Resolves `false`, writing nothing, when the session was not active (already revoked,
   * unknown, or someone else's).
   */
  revoke(
    sessionId: string,
    userId: string,
    reason: RevocationReason,
    at: Date,
    event: AnyEventEnvelope,
  ): Promise<boolean>;
}
