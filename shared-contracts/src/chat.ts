// chat's contract: its public HTTP API (rooms, history), the WebSocket frames of the platform's
// WebSocket API (client frames by `action`, server frames by `type`) and the event it publishes.

import { idSchema, pageOf } from './common';
import { defineEvent } from './envelope';
import { cancellationReasonSchema } from './orders';
import { multiLineText, singleLineText } from './text';
import * as z from './zod';

/** A room's name as a client gives it: 1–80 characters on one line, trimmed (see `singleLineText`). */
export const roomNameSchema = singleLineText({ maxLength: 80 });

/** `POST /chat/rooms` body. */
export const createRoomRequestSchema = z.strictObject({ name: roomNameSchema });
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>;

/** A chat room (`POST /chat/rooms` 201 body, an item of `GET /chat/rooms`). Rooms are open to every signed-in user. */
export const roomSchema = z.object({
  roomId: idSchema,
  name: z.string(),
  /** The user who created it. */
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type Room = z.infer<typeof roomSchema>;

/** `GET /chat/rooms` 200 body, in creation order (`?limit=&cursor=`). */
export const roomPageSchema = pageOf(roomSchema);
export type RoomPage = z.infer<typeof roomPageSchema>;

/** Most Unicode code points in a message's text. */
export const MAX_MESSAGE_LENGTH = 2000;

/**
 * A message's text: 1 to {@link MAX_MESSAGE_LENGTH} Unicode code points (an emoji counts once, so a
 * client that counts UTF-16 units is never refused a text it accepted), line feeds and tabs allowed,
 * other control characters, bidirectional formatting characters and unpaired surrogates refused
 * (see `multiLineText`). Not trimmed.
 */
export const messageTextSchema = multiLineText({ maxLength: MAX_MESSAGE_LENGTH });

/** The id a client gives a message it sends, so a re-send is recognised (letters, digits, `-`, `_`; ≤ 64). */
export const clientMessageIdSchema = idSchema;

/**
 * A stored message, the same over HTTP (history) and WebSocket (`message` frames). `seq` numbers a
 * room's messages 1, 2, 3 … without gaps or duplicates.
 */
export const messageSchema = z.object({
  roomId: idSchema,
  /** Position in the room: starts at 1, +1 per stored message. */
  seq: z.number().check(z.int(), z.positive()),
  messageId: idSchema,
  userId: z.string(),
  /** The sender's display name when it connected. */
  displayName: z.string(),
  text: z.string(),
  sentAt: z.iso.datetime(),
});
export type Message = z.infer<typeof messageSchema>;

/**
 * `GET /chat/rooms/{roomId}/messages` query: the messages with `seq > after`, at most `limit`,
 * ascending. A client that reconnects passes the last `seq` it saw.
 */
export const historyQuerySchema = z.strictObject({
  after: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)), 0),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/**
 * `GET /chat/rooms/{roomId}/messages` 200 body, ascending by `seq`. `nextCursor`, present while more
 * messages follow, is the `after` of the next page (the last item's `seq`, as a string).
 */
export const messagePageSchema = pageOf(messageSchema);
export type MessagePage = z.infer<typeof messagePageSchema>;

// Client frames: JSON text frames on the WebSocket API, routed by `action`
// (route selection expression `$request.body.action`). Unknown fields are ignored.

/** `{ action: 'join', roomId }`: receive the room's messages on this connection; answered by `joined`. */
export const joinFrameSchema = z.object({ action: z.literal('join'), roomId: idSchema });
export type JoinFrame = z.infer<typeof joinFrameSchema>;

/** `{ action: 'leave', roomId }`: stop receiving the room's messages; answered by `left`. */
export const leaveFrameSchema = z.object({ action: z.literal('leave'), roomId: idSchema });
export type LeaveFrame = z.infer<typeof leaveFrameSchema>;

/**
 * `{ action: 'send', roomId, text, clientMessageId }`, in a room this connection joined: answered by
 * `ack`, and the message goes to every connection in the room (the sender's too). Sending the same
 * `clientMessageId` again stores nothing new and acks the original.
 */
export const sendFrameSchema = z.object({
  action: z.literal('send'),
  roomId: idSchema,
  text: messageTextSchema,
  clientMessageId: clientMessageIdSchema,
});
export type SendFrame = z.infer<typeof sendFrameSchema>;

/** Every frame a client may send, by `action`. */
export const clientFrameSchema = z.discriminatedUnion('action', [
  joinFrameSchema,
  leaveFrameSchema,
  sendFrameSchema,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** The actions a client frame may name. */
export const CLIENT_ACTIONS = ['join', 'leave', 'send'] as const;

// Server frames: JSON text frames the server pushes (through @connections), by `type`.

/** The connection joined `roomId`; every message with `seq > lastSeq` will be pushed to it (fetch the history up to `lastSeq`). */
export const joinedFrameSchema = z.object({
  type: z.literal('joined'),
  roomId: idSchema,
  /** The room's last `seq` when it was joined (0: no message yet). */
  lastSeq: z.number().check(z.int(), z.minimum(0)),
});
export type JoinedFrame = z.infer<typeof joinedFrameSchema>;

/** The connection left `roomId`. */
export const leftFrameSchema = z.object({ type: z.literal('left'), roomId: idSchema });
export type LeftFrame = z.infer<typeof leftFrameSchema>;

/** A `send` was stored (or had been: a re-sent `clientMessageId` gets the original `messageId` and `seq`). */
export const ackFrameSchema = z.object({
  type: z.literal('ack'),
  clientMessageId: clientMessageIdSchema,
  messageId: idSchema,
  seq: z.number().check(z.int(), z.positive()),
});
export type AckFrame = z.infer<typeof ackFrameSchema>;

/**
 * A message of a joined room. Frames of concurrent messages may arrive out of order and, rarely,
 * twice: order by `seq`, drop a `seq` already seen, and on a gap fetch the history `after` the last one.
 */
export const messageFrameSchema = z.extend(messageSchema, { type: z.literal('message') });
export type MessageFrame = z.infer<typeof messageFrameSchema>;

/** One of the user's orders was confirmed or cancelled (pushed to every open connection of its owner). */
export const orderFrameSchema = z.object({
  type: z.literal('order'),
  orderId: idSchema,
  status: z.enum(['CONFIRMED', 'CANCELLED']),
  /** Why it was cancelled (only for `CANCELLED`). */
  reason: z.optional(cancellationReasonSchema),
});
export type OrderFrame = z.infer<typeof orderFrameSchema>;

/**
 * The codes an `error` frame carries today. Clients should treat an unknown code like
 * `INTERNAL_ERROR`: new codes may be added.
 */
export const chatErrorCodeSchema = z.enum([
  /** The frame is not JSON. */
  'INVALID_JSON',
  /** The frame has no `action`, or one that is not `join`, `leave` or `send`. */
  'UNKNOWN_ACTION',
  /** A field is missing or malformed (the message says which). */
  'VALIDATION_FAILED',
  /** `text` is longer than 2,000 characters. */
  'MESSAGE_TOO_LONG',
  /** `send` to a room this connection has not joined. */
  'NOT_JOINED',
  /** No room has this id. */
  'ROOM_NOT_FOUND',
  /** The connection already joined as many rooms as it may. */
  'TOO_MANY_ROOMS',
  /** More frames than the connection's rate allows (10/s, bursts of 20 by default); the frame was ignored. */
  'RATE_LIMITED',
  /** The server does not know this connection (it is closing); reconnect. */
  'UNKNOWN_CONNECTION',
  /** The room is too busy right now; send again (with the same `clientMessageId`). */
  'SERVICE_UNAVAILABLE',
  /** Something failed on the server; the message says nothing more. */
  'INTERNAL_ERROR',
]);
export type ChatErrorCode = z.infer<typeof chatErrorCodeSchema>;

/** A client frame was refused; the connection stays open. */
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  /** UPPER_SNAKE_CASE, one of {@link chatErrorCodeSchema}'s today. */
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
  message: z.string(),
});
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

/** Every frame the server pushes, by `type`. */
export const serverFrameSchema = z.discriminatedUnion('type', [
  joinedFrameSchema,
  leftFrameSchema,
  ackFrameSchema,
  messageFrameSchema,
  orderFrameSchema,
  errorFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/**
 * A message was stored in a room as its `seq`-th message (published once per stored message; a
 * re-sent `clientMessageId` publishes nothing).
 */
export const MessagePosted = defineEvent(
  'chat',
  'MessagePosted',
  1,
  z.object({
    roomId: idSchema,
    messageId: idSchema,
    seq: z.number().check(z.int(), z.positive()),
    userId: z.string(),
    text: z.string(),
    sentAt: z.iso.datetime(),
  }),
);
