/** A message stored in a room: the `seq`-th one (1, 2, 3 … per room, no gaps, no duplicates). */
export interface Message {
  readonly roomId: string;
  readonly seq: number;
  readonly messageId: string;
  readonly userId: string;
  /** The sender's display name when it connected. */
  readonly displayName: string;
  readonly text: string;
  /** ISO-8601. */
  readonly sentAt: string;
}
