/** Port: sessions whose access tokens must be refused (until those tokens would expire anyway). */
export interface Denylist {
  /** Whether `sessionId` is denied at `now` (epoch seconds). */
  isDenied(sessionId: string, now: number): Promise<boolean>;
  /** Denies `sessionId` until `until` (epoch seconds); idempotent, never shortens an existing entry. */
  deny(sessionId: string, until: number): Promise<void>;
}
