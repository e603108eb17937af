import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import * as z from '@quanta/contracts/zod';
import { type FunctionContext, tableEnvironment } from '@quanta/runtime/config';
import { ApiGatewayConnections } from '../adapters/ApiGatewayConnections';
import { DynamoDbConnectionRepository } from '../adapters/DynamoDbConnectionRepository';
import { DynamoDbMessageLog } from '../adapters/DynamoDbMessageLog';
import { DynamoDbRateLimiter } from '../adapters/DynamoDbRateLimiter';
import { DynamoDbRoomRepository } from '../adapters/DynamoDbRoomRepository';
import { DynamoDbUserDirectory } from '../adapters/DynamoDbUserDirectory';
import { LazyFanoutQueue } from '../adapters/LazyFanoutQueue';
import { Broadcaster } from '../service/Broadcaster';
import { ChatService } from '../service/ChatService';
import { ChatSocket } from '../service/ChatSocket';

const positiveInt = (fallback: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max)), fallback);

/**
 * Environment of chat's functions that push frames (`orderEvents`, `sessionRevoked`, `fanout`; `ws`
 * extends it), set by the CDK stack and the local cloud from the plan. chat's own settings can be
 * overridden per deployment in cdk.json `quanta:environment`.
 */
export const liveEnvironment = z.extend(tableEnvironment, {
  /** The WebSocket API's `@connections` endpoint (AWS: `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`). */
  WEBSOCKET_MANAGEMENT_URL: z.url(),
  /** Pushes in flight at once per invocation. */
  CHAT_DELIVERY_CONCURRENCY: positiveInt(20, 200),
});

/** Environment of chat's `ws` function (every WebSocket route). */
export const wsEnvironment = z.extend(liveEnvironment, {
  /** chat's fan-out work queue (its `workQueues` entry `fanout`). */
  WORK_QUEUE_URL_FANOUT: z.url(),
  /** A room with more members than this is broadcast through the fan-out queue. */
  CHAT_FANOUT_THRESHOLD: positiveInt(100, 10_000),
  /** Sustained frames per second each connection may send. */
  CHAT_RATE_PER_SECOND: z._default(z.coerce.number().check(z.positive(), z.maximum(1000)), 10),
  /** Frames a connection may send in a burst. */
  CHAT_RATE_BURST: positiveInt(20, 10_000),
  /** Rooms one connection may join. */
  CHAT_MAX_ROOMS_PER_CONNECTION: positiveInt(50, 1000),
});

type LiveEnvironment = z.infer<typeof liveEnvironment>;
type WsEnvironment = z.infer<typeof wsEnvironment>;

/** Everything a chat function may need, wired on its table and its `@connections` endpoint. */
export interface ChatWiring {
  readonly chat: ChatService;
  readonly socket: ChatSocket;
  readonly broadcaster: Broadcaster;
}

/**
 * Wires chat's services from a function's context: the DynamoDB adapters on the quantum's table,
 * `@connections` through `WEBSOCKET_MANAGEMENT_URL`, and, for `ws`, the fan-out queue and the
 * per-connection rate. Functions without the `ws` settings get their defaults (they never receive
 * client frames, so the rate is never used there).
 *
 * @example
 * ```ts
 * const { socket } = chatOf(functionContext(liveEnvironment, process.env));
 * ```
 */
export function chatOf(context: FunctionContext<LiveEnvironment & Partial<WsEnvironment>>): ChatWiring {
  const { env, observability, table } = context;
  const { logger } = observability;
  const connections = new DynamoDbConnectionRepository(table);
  const gateway = new ApiGatewayConnections(
    observability.awsClient(new ApiGatewayManagementApiClient({ endpoint: env.WEBSOCKET_MANAGEMENT_URL })),
  );
  const queueUrl = env.WORK_QUEUE_URL_FANOUT;
  // The SQS client loads on the first fan-out, which most of these functions never make (D12).
  const fanout =
    queueUrl === undefined
      ? undefined
      : new LazyFanoutQueue(async () => {
          const [{ SQSClient }, { SqsFanoutQueue }] = await Promise.all([
            import('@aws-sdk/client-sqs'),
            import('../adapters/SqsFanoutQueue'),
          ]);
          return new SqsFanoutQueue({ client: observability.awsClient(new SQSClient({})), queueUrl });
        });
  const broadcaster = new Broadcaster({
    gateway,
    connections,
    fanout,
    concurrency: env.CHAT_DELIVERY_CONCURRENCY,
    fanoutThreshold: env.CHAT_FANOUT_THRESHOLD,
    log: logger,
  });
  const chat = new ChatService({
    rooms: new DynamoDbRoomRepository(table),
    messages: new DynamoDbMessageLog(table),
    connections,
    maxRoomsPerConnection: env.CHAT_MAX_ROOMS_PER_CONNECTION,
  });
  const socket = new ChatSocket({
    chat,
    connections,
    gateway,
    broadcaster,
    rateLimiter: new DynamoDbRateLimiter(table, {
      limit: { perSecond: env.CHAT_RATE_PER_SECOND ?? 10, burst: env.CHAT_RATE_BURST ?? 20 },
    }),
    users: new DynamoDbUserDirectory(table),
    concurrency: env.CHAT_DELIVERY_CONCURRENCY,
    log: logger,
  });
  return { chat, socket, broadcaster };
}
