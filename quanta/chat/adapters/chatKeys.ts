/**
 * chat's single-table keys. A room's partition holds the room, its `seq` counter, its messages (in
 * `seq` order), its members and its senders' `clientMessageId`s, so a send touches one partition.
 *
 * | item | pk | sk | gsi1pk / gsi1sk | gsi2pk / gsi2sk |
 * |---|---|---|---|---|
 * | room | `ROOM#<roomId>` | `ROOM` | `ROOMS` / `<createdAt>#<roomId>` (the list) | – |
 * | seq counter | `ROOM#<roomId>` | `SEQ` | – | – |
 * | message | `ROOM#<roomId>` | `MSG#<seq, 16 digits>` | – | – |
 * | clientMessageId | `ROOM#<roomId>` | `CMID#<userId>#<clientMessageId>` | – | – |
 * | membership | `ROOM#<roomId>` | `MEMBER#<connectionId>` | – | – |
 * | connection | `CONN#<connectionId>` | `CONN` | `USER#<userId>` / `CONN#<connectionId>` | `SESSION#<sessionId>` / `CONN#<connectionId>` |
 * | rate bucket | `RATE#<key>` | `RATE` | – | – |
 * | user | `USER#<userId>` | `PROFILE` | – | – |
 * | outbox event | `OUTBOX#<eventId>` | `OUTBOX` | – | – |
 */
export const chatKeys = {
  room: (roomId: string) => ({ pk: roomPartition(roomId), sk: 'ROOM' }),
  /** The room list's index keys: one partition, in creation order then id. */
  roomListing: (createdAt: string, roomId: string) => ({
    gsi1pk: ROOM_LIST_PARTITION,
    gsi1sk: `${createdAt}#${roomId}`,
  }),
  counter: (roomId: string) => ({ pk: roomPartition(roomId), sk: 'SEQ' }),
  message: (roomId: string, seq: number) => ({ pk: roomPartition(roomId), sk: messageSortKey(seq) }),
  clientMessageId: (roomId: string, userId: string, clientMessageId: string) => ({
    pk: roomPartition(roomId),
    sk: `CMID#${userId}#${clientMessageId}`,
  }),
  membership: (roomId: string, connectionId: string) => ({
    pk: roomPartition(roomId),
    sk: `${MEMBER_PREFIX}${connectionId}`,
  }),
  connection: (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'CONN' }),
  /** A connection's index keys: by user (order frames) and by session (logout). */
  connectionIndexes: (userId: string, sessionId: string, connectionId: string) => ({
    gsi1pk: userConnections(userId),
    gsi1sk: `CONN#${connectionId}`,
    gsi2pk: sessionConnections(sessionId),
    gsi2sk: `CONN#${connectionId}`,
  }),
  rate: (key: string) => ({ pk: `RATE#${key}`, sk: 'RATE' }),
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
} as const;

/** A room's partition: the room, its counter, messages, members and clientMessageIds. */
export const roomPartition = (roomId: string): string => `ROOM#${roomId}`;
/** gsi1 partition of a user's connections. */
export const userConnections = (userId: string): string => `USER#${userId}`;
/** gsi2 partition of a session's connections. */
export const sessionConnections = (sessionId: string): string => `SESSION#${sessionId}`;

/** `MSG#0000000000000042`: zero-padded so the sort key orders messages by `seq`. */
export function messageSortKey(seq: number): string {
  return `MSG#${String(seq).padStart(16, '0')}`;
}

/** gsi1 partition holding every room, in creation order. */
export const ROOM_LIST_PARTITION = 'ROOMS';
/** Sort-key prefix of a room's memberships. */
export const MEMBER_PREFIX = 'MEMBER#';
/** The index of the room list (declared in the manifest's table; shared with {@link BY_USER_INDEX}). */
export const ROOM_LIST_INDEX = 'gsi1';
/** The index of a user's connections. */
export const BY_USER_INDEX = 'gsi1';
/** The index of a session's connections. */
export const BY_SESSION_INDEX = 'gsi2';
