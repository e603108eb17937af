import { functionContext } from '@quanta/runtime/config';
import { messageBatchHandler } from '@quanta/runtime/messaging';
import { repliesEnvironment, sagaOf } from './environment';
import { messages } from './messages';

// Composition root of orders' `replies` function (its reply queue): once per cold start.
const context = functionContext(repliesEnvironment, process.env);
const { saga } = sagaOf(context);

/** `replies`: the saga's steps, driven by catalog's and payments' replies. */
export const handler = messageBatchHandler({
  handlers: messages(saga),
  observability: context.observability,
});
