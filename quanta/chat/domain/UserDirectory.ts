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
