import type { AnyEventEnvelope } from '@quanta/contracts/envelope';

/**
 * Outcome of {@link MessageLog.append}. Nothing was written unless `APPENDED`:
 * - `DUPLICATE`: the sender already stored a message with this `clientMessageId` in the room: it is
 *   `original` (whatever `seq` was attempted);
 * - `SEQ_TAKEN`: the room's last `seq` is not the expected one any more (another message got there
 *   first); it is now `lastSeq`;
 * - `ROOM_NOT_FOUND`: the room does not exist.
 */
export type AppendResult =
  | { readonly kind: 'APPENDED' }
  | { readonly kind: 'DUPLICATE'; readonly original: { readonly messageId: string; readonly seq: number } }
  | { readonly kind: 'SEQ_TAKEN'; readonly lastSeq: number }
  | { readonly kind: 'ROOM_NOT_FOUND' };

/** One page of a room's messages, ascending by `seq`. */
export interface MessageSlice {
  readonly items: readonly Message[];
  /** More messages follow the last one. */
  readonly hasMore: boolean;
}

/**
 * Port: each room's messages, in `seq` order. Appends are optimistic and atomic: a message is
 * stored as `seq` only if the room's last `seq` is exactly `seq - 1` at that moment, together with
 * the sender's `clientMessageId` (only if not used yet) and the `MessagePosted` outbox event — so
 * `seq` never skips or repeats, and a re-send is never stored twice.
 */
export interface MessageLog {
  /** The room's last `seq` (0 before its first message), strongly consistent; `undefined`: no such room. */
  lastSeq(roomId: string): Promise<number | undefined>;
  /** Stores `message` as the room's `message.seq`-th message, if that is the next one and the id is new. */
  append(message: Message, clientMessageId: string, event: AnyEventEnvelope): Promise<AppendResult>;
  /** Up to `limit` messages with `seq > after`, ascending (strongly consistent). */
  history(roomId: string, after: number, limit: number): Promise<MessageSlice>;
}

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
