import { SessionRevoked } from '@quanta/contracts/identity';
import { createEnvelope } from '@quanta/runtime/events';
import type { AuditLog } from '../domain/Audit';
import type { RevocationReason, SessionRepository } from '../domain/Session';

/** Dependencies and settings of {@link SessionRevocation}. */
interface SessionRevocationOptions {
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  /** Lifetime of access tokens: how long the platform must deny a revoked session's tokens. */
  readonly accessTokenTtlSeconds: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** Where a revocation comes from, propagated into its events and audit entries. */
interface RevocationOrigin {
  readonly correlationId: string;
}

/**
 * How sessions end: one session (logout, refresh-token reuse) or every session of a user ("log out
 * everywhere", a password change, a role taken away). Each revoked session is one transaction that
 * flips it to `REVOKED` and writes its `SessionRevoked` to the outbox; the platform's denylist
 * consumes that event, so the session's access tokens are refused within the authorizer's cache TTL.
 *
 * @example
 * ```ts
 * const revocation = new SessionRevocation({ sessions, audit, accessTokenTtlSeconds: 900 });
 * await revocation.revokeAll(userId, 'PASSWORD_CHANGED', origin, { except: currentSessionId });
 * ```
 */
export class SessionRevocation {
  readonly #o: Required<SessionRevocationOptions>;

  constructor(options: SessionRevocationOptions) {
    this.#o = { now: () => new Date(), ...options };
  }

  /** Revokes one active session of `userId`; resolves `false` when it was not active (idempotent). */
  async revoke(
    sessionId: string,
    userId: string,
    reason: RevocationReason,
    origin: RevocationOrigin,
  ): Promise<boolean> {
    const now = this.#o.now();
    // Access tokens of this session issued up to now stay cryptographically valid for one more TTL:
    // that is how long the denylist must hold the session.
    const tokensValidUntil = epochSeconds(now) + this.#o.accessTokenTtlSeconds;
    const event = createEnvelope(
      SessionRevoked,
      { userId, sessionId, reason, tokensValidUntil },
      { correlationId: origin.correlationId, occurredAt: now },
    );
    const revoked = await this.#o.sessions.revoke(sessionId, userId, reason, now, event);
    if (revoked) {
      this.#o.audit.record({
        event: 'identity.session.revoked',
        correlationId: origin.correlationId,
        userId,
        sessionId,
        reason,
      });
    }
    return revoked;
  }

  /** Revokes every active session of `userId` but `except`; resolves how many it revoked. */
  async revokeAll(
    userId: string,
    reason: RevocationReason,
    origin: RevocationOrigin,
    options: { readonly except?: string } = {},
  ): Promise<number> {
    const ids = await this.#o.sessions.activeSessionIds(userId, epochSeconds(this.#o.now()));
    const revoked = await Promise.all(
      ids.filter((id) => id !== options.except).map((id) => this.revoke(id, userId, reason, origin)),
    );
    return revoked.filter(Boolean).length;
  }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
