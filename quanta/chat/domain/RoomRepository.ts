/** One page of the room list, in creation order. */
export interface RoomListPage {
  readonly items: readonly Room[];
  /** Opaque; pass it back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

/** Port: where rooms live. */
export interface RoomRepository {
  /** Stores a new room with an empty message log (its last `seq` is 0). */
  create(room: Room): Promise<void>;
  /** The room (a strongly consistent read), if it exists. */
  get(roomId: string): Promise<Room | undefined>;
  /**
   * Rooms in creation order (ties by id), `limit` at a time, from `cursor` (a previous page's
   * `nextCursor`). Rejects with `InvalidCursorError` for a cursor it did not produce.
   */
  list(page: { readonly limit: number; readonly cursor?: string }): Promise<RoomListPage>;
}

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
