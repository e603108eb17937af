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
