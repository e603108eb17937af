import { QuantaError, type QuantaErrorOptions } from '@quanta/runtime/errors';

/**
 * Base of chat's errors. Each carries its HTTP status and code: over HTTP the runtime's error
 * middleware turns it into a response; over the WebSocket it becomes an `error` frame with the
 * same code (statuses below 500 only; anything else is `INTERNAL_ERROR`).
 */
export class ChatError extends QuantaError {}

/**
 * 404 `ROOM_NOT_FOUND`: no room has this id.
 *
 * @example
 * ```ts
 * throw new RoomNotFoundError('r-42');
 * ```
 */
export class RoomNotFoundError extends ChatError {
  constructor(roomId: string, options: QuantaErrorOptions = {}) {
    super(`Room ${roomId} not found`, { ...options, status: 404, code: 'ROOM_NOT_FOUND' });
  }
}

/**
 * 400 `INVALID_CURSOR`: the pagination cursor was not returned by a previous page (or was altered).
 *
 * @example
 * ```ts
 * throw new InvalidCursorError('abc', { cause });
 * ```
 */
export class InvalidCursorError extends ChatError {
  constructor(cursor: string, options: QuantaErrorOptions = {}) {
    super(`Cursor ${JSON.stringify(cursor.slice(0, 64))} is not a cursor returned by a previous page`, {
      ...options,
      status: 400,
      code: 'INVALID_CURSOR',
    });
  }
}

/**
 * 403 `NOT_JOINED`: a `send` to a room the connection has not joined.
 *
 * @example
 * ```ts
 * throw new NotJoinedError('r-42');
 * ```
 */
export class NotJoinedError extends ChatError {
  constructor(roomId: string, options: QuantaErrorOptions = {}) {
    super(`Join room ${roomId} before sending to it`, { ...options, status: 403, code: 'NOT_JOINED' });
  }
}

/**
 * 409 `TOO_MANY_ROOMS`: the connection already joined as many rooms as one connection may.
 *
 * @example
 * ```ts
 * throw new TooManyRoomsError(50);
 * ```
 */
export class TooManyRoomsError extends ChatError {
  constructor(maxRooms: number, options: QuantaErrorOptions = {}) {
    super(`A connection may join at most ${maxRooms} rooms; leave one first`, {
      ...options,
      status: 409,
      code: 'TOO_MANY_ROOMS',
    });
  }
}

/**
 * 410 `UNKNOWN_CONNECTION`: a frame came on a connection chat no longer knows (it was closed by a
 * logout, or expired); the client should reconnect.
 *
 * @example
 * ```ts
 * throw new UnknownConnectionError('Abc=');
 * ```
 */
export class UnknownConnectionError extends ChatError {
  constructor(connectionId: string, options: QuantaErrorOptions = {}) {
    super(`Connection ${connectionId} is not open any more; reconnect`, {
      ...options,
      status: 410,
      code: 'UNKNOWN_CONNECTION',
    });
  }
}

/**
 * 503 `SERVICE_UNAVAILABLE`: a message kept losing the race for the room's next `seq`. Nothing was
 * stored; sending again with the same `clientMessageId` is safe.
 *
 * @example
 * ```ts
 * throw new RoomContentionError('r-42', 50);
 * ```
 */
export class RoomContentionError extends ChatError {
  constructor(roomId: string, attempts: number, options: QuantaErrorOptions = {}) {
    super(`Room ${roomId} is too busy (${attempts} attempts); send again with the same clientMessageId`, {
      ...options,
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
  }
}
