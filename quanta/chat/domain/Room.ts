/** A chat room. Rooms are open: any signed-in user may read and join any room. */
export interface Room {
  readonly roomId: string;
  /** 1–80 characters, trimmed. */
  readonly name: string;
  /** The user who created it. */
  readonly createdBy: string;
  /** ISO-8601. */
  readonly createdAt: string;
}
