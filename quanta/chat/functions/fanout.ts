import { functionContext } from '@quanta/runtime/config';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import { fanoutMessageSchema } from '../adapters/fanoutMessage';
import { chatOf, liveEnvironment } from './environment';

// Composition root of chat's `fanout` function (its own work queue `fanout`): once per cold start.
const context = functionContext(liveEnvironment, process.env);
const { broadcaster } = chatOf(context);

/**
 * `fanout`: pushes each queued batch of a large room's broadcast to its connections (bounded
 * concurrency; closed ones forgotten). Failed pushes are logged, not retried: a redelivery would push
 * the whole batch again, and a client that missed a message sees the gap in `seq` and reads the history.
 */
export const handler = sqsBatchHandler({
  parse: fanoutMessageSchema,
  unwrap: 'none',
  handle: async ({ frame, connectionIds }, { logger }) => {
    const report = await broadcaster.deliver(connectionIds, frame);
    if (report.failed > 0)
      logger.warn('Fan-out batch partly undelivered', { frameType: frame.type, ...report });
  },
  observability: context.observability,
});
