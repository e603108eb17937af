/** Who opened a WebSocket connection, as the platform's `$connect` authorizer vouched for them. */
export interface Caller {
  readonly userId: string;
  /** The session of the ticket the connection was opened with (logout closes it). */
  readonly sessionId: string;
  readonly roles: readonly string[];
  /** The display name the platform passed along, when it does. */
  readonly displayName?: string;
}

/** An open WebSocket connection of a user, and the rooms it joined. */
export interface Connection {
  readonly connectionId: string;
  readonly userId: string;
  readonly sessionId: string;
  /** Shown with every message sent on this connection. */
  readonly displayName: string;
  /** ISO-8601. */
  readonly connectedAt: string;
  /** Rooms joined on this connection (their messages are pushed to it). */
  readonly rooms: readonly string[];
}

/**
 * Port: chat's own copy of users' display names (filled from identity's `UserRegistered`), so a
 * message can show who sent it without calling identity.
 */
export interface UserDirectory {
  /** The user's display name, if chat has heard of the user. */
  displayNameOf(userId: string): Promise<string | undefined>;
  /** Records the user's display name (idempotent). */
  remember(userId: string, displayName: string): Promise<void>;
}
