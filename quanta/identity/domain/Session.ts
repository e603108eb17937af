/** Why a session ended (the `SessionRevoked` reasons). */
export type RevocationReason = 'LOGOUT' | 'REFRESH_TOKEN_REUSE';

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
