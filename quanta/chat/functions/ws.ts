import { functionContext } from '@quanta/runtime/config';
import { chatOf, wsEnvironment } from './environment';
import { webSocketHandler } from './webSocketHandler';

// Composition root of chat's `ws` function (every route of the platform's WebSocket API): once per cold start.
const context = functionContext(wsEnvironment, process.env);
const { socket } = chatOf(context);

/** `ws`: `$connect`, `$disconnect`, `$default`, `join`, `leave`, `send`; answers go through `@connections`. */
export const handler = webSocketHandler(socket, { observability: context.observability });
