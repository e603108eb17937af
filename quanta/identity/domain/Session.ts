import { createHash } from 'node:crypto';
import type { AnyEventEnvelope, EventData } from '@quanta/contracts/envelope';
import type { SessionRevoked } from '@quanta/contracts/identity';

/** Why a session ended (the `SessionRevoked` reasons). */
export type RevocationReason = EventData<typeof SessionRevoked>['reason'];

/**
 * A login session: the family of all refresh tokens rotated from one login. Revoking it revokes
 * every refresh token of the family and (via `SessionRevoked`) every access token carrying its `sid`.
 */
export interface Session {
  readonly sessionId: string;
  readonly userId: string;
  readonly status: 'ACTIVE' | 'REVOKED';
  /** ISO-8601. */
  readonly createdAt: string;
  /** Epoch seconds; the absolute end of the session (refresh-token lifetime from login). */
  readonly expiresAt: number;
  readonly revokedAt?: string;
  readonly revokeReason?: RevocationReason;
}

/**
 * What is stored about one refresh token: never the token itself, only its SHA-256 hash, so a
 * leaked table does not hand out sessions.
 */
export interface RefreshTokenRecord {
  /** Hex SHA-256 of the opaque token. */
  readonly tokenHash: string;
  readonly userId: string;
  /** The session (token family) it belongs to. */
  readonly sessionId: string;
  /** ISO-8601. */
  readonly issuedAt: string;
  /** Epoch seconds; equal to the session's end (rotation does not extend a session). */
  readonly expiresAt: number;
  /** Set when the token has been exchanged; presenting it again is reuse. */
  readonly used: boolean;
}

/**
 * SHA-256 (hex) of a refresh token: what is stored and looked up. A fast hash is right here because
 * the token is 256 random bits, not a guessable password.
 *
 * @example
 * ```ts
 * hashToken('q8…'); // '3f1c…' (64 hex chars)
 * ```
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

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
  /** Ids of `userId`'s sessions that are active and not over at `now` (epoch seconds). */
  activeSessionIds(userId: string, now: number): Promise<string[]>;
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
