import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type {
  RefreshTokenRecord,
  RevocationReason,
  RotationOutcome,
  Session,
  SessionRepository,
} from '../../domain/Session';

/** In-memory {@link SessionRepository} for service tests; `outbox` collects the events it committed. */
export class InMemorySessionRepository implements SessionRepository {
  readonly sessions = new Map<string, Session>();
  readonly tokens = new Map<string, RefreshTokenRecord>();
  readonly outbox: AnyEventEnvelope[] = [];

  async start(session: Session, firstToken: RefreshTokenRecord): Promise<void> {
    this.sessions.set(session.sessionId, session);
    this.tokens.set(firstToken.tokenHash, firstToken);
  }

  async findSession(sessionId: string): Promise<Session | undefined> {
    return this.sessions.get(sessionId);
  }

  async activeSessionIds(userId: string, now: number): Promise<string[]> {
    return [...this.sessions.values()]
      .filter((s) => s.userId === userId && s.status === 'ACTIVE' && s.expiresAt > now)
      .map((s) => s.sessionId);
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    return this.tokens.get(tokenHash);
  }

  async rotate(current: RefreshTokenRecord, next: RefreshTokenRecord, now: number): Promise<RotationOutcome> {
    const session = this.sessions.get(current.sessionId);
    if (session === undefined || session.status !== 'ACTIVE' || session.expiresAt <= now)
      return 'SESSION_INACTIVE';
    const stored = this.tokens.get(current.tokenHash);
    if (stored === undefined || stored.used) return 'TOKEN_ALREADY_USED';
    this.tokens.set(current.tokenHash, { ...stored, used: true });
    this.tokens.set(next.tokenHash, next);
    return 'ROTATED';
  }

  async revoke(
    sessionId: string,
    userId: string,
    reason: RevocationReason,
    at: Date,
    event: AnyEventEnvelope,
  ): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.status !== 'ACTIVE' || session.userId !== userId) return false;
    this.sessions.set(sessionId, {
      ...session,
      status: 'REVOKED',
      revokedAt: at.toISOString(),
      revokeReason: reason,
    });
    this.outbox.push(event);
    return true;
  }
}
