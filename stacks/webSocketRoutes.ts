/**
 * The WebSocket routing contract between the platform and the quantum that serves WebSockets.
 * The manifest model has no WebSocket section yet, so it lives here: the platform routes these
 * route keys to `functions.ws` of {@link WEBSOCKET_QUANTUM}, and that quantum's stack grants the
 * platform's WebSocket API permission to invoke it on exactly these route keys.
 */

/** The quantum whose `ws` function serves the WebSocket routes. */
export const WEBSOCKET_QUANTUM = 'chat';

/** Route keys of the WebSocket API (route selection `$request.body.action`). */
export const WEBSOCKET_ROUTE_KEYS = ['$connect', '$disconnect', '$default', 'join', 'leave', 'send'] as const;
