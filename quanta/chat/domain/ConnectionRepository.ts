import type { Connection } from './Connection';

/** Outcome of {@link ConnectionRepository.join}. */
export type JoinResult = 'JOINED' | 'ROOM_NOT_FOUND' | 'TOO_MANY_ROOMS' | 'UNKNOWN_CONNECTION';

/**
 * Port: open connections and their room memberships, kept at most as long as API Gateway keeps a
 * connection (they expire; a connection found gone when a frame is pushed is removed at once).
 */
export interface ConnectionRepository {
  /** Records a new connection (no rooms yet). */
  save(connection: Connection): Promise<void>;
  /** The connection (strongly consistent), if it is known. */
  get(connectionId: string): Promise<Connection | undefined>;
  /** Forgets the connection and its memberships; the removed connection, if it was known. Idempotent. */
  remove(connectionId: string): Promise<Connection | undefined>;
  /**
   * Adds `roomId` to the connection's rooms and the connection to the room's members, atomically,
   * if the room exists and the connection has fewer than `maxRooms` rooms (joining a joined room is
   * `JOINED` again).
   */
  join(connectionId: string, roomId: string, maxRooms: number): Promise<JoinResult>;
  /** Removes the membership (idempotent). */
  leave(connectionId: string, roomId: string): Promise<void>;
  /** Ids of the connections that joined `roomId`. */
  members(roomId: string): Promise<string[]>;
  /** Ids of the user's open connections. */
  byUser(userId: string): Promise<string[]>;
  /** Ids of the connections opened with a ticket of `sessionId`. */
  bySession(sessionId: string): Promise<string[]>;
}
