import { SessionRevoked } from '@quanta/contracts/identity';
import { functionContext } from '@quanta/runtime/config';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import { chatOf, liveEnvironment } from './environment';

// Composition root of chat's `sessionRevoked` function (inbox of identity's SessionRevoked).
const context = functionContext(liveEnvironment, process.env);
const { socket } = chatOf(context);

/**
 * `sessionRevoked`: closes (DELETE `@connections`) every connection opened with a ticket of the
 * revoked session, and forgets them. Closing is idempotent, so a redelivered event needs no
 * idempotency record; a connection that could not be closed fails the message, which is retried.
 */
export const handler = sqsBatchHandler({
  parse: SessionRevoked.envelope,
  handle: async ({ data }, { logger }) => {
    const closed = await socket.closeSession(data.sessionId);
    logger.info('Connections of a revoked session closed', { sessionId: data.sessionId, closed });
  },
  observability: context.observability,
});
