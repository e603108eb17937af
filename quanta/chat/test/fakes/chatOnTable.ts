import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTestTable } from '@quanta/runtime/testing';
import { DynamoDbConnectionRepository } from '../../adapters/DynamoDbConnectionRepository';
import { DynamoDbMessageLog } from '../../adapters/DynamoDbMessageLog';
import { DynamoDbRateLimiter } from '../../adapters/DynamoDbRateLimiter';
import { DynamoDbRoomRepository } from '../../adapters/DynamoDbRoomRepository';
import { DynamoDbUserDirectory } from '../../adapters/DynamoDbUserDirectory';
import chat from '../../quantum';
import { Broadcaster } from '../../service/Broadcaster';
import { ChatService } from '../../service/ChatService';
import { ChatSocket } from '../../service/ChatSocket';
import { FakeConnectionGateway } from './FakeConnectionGateway';
import { RecordingFanoutQueue } from './fakes';

/**
 * chat's DynamoDB adapters on a fresh table shaped like the manifest's (its GSIs, TTL, stream), and
 * the services over them; `@connections` and the fan-out queue are fakes.
 *
 * @example
 * ```ts
 * const t = await chatOnTable(client);
 * const room = await t.chat.createRoom('General', 'u-1');
 * ```
 */
export async function chatOnTable(client: DynamoDBClient) {
  const tableName = await createTestTable(client, 'chat', chat.table);
  const table = { client, tableName, ttlAttribute: chat.table.ttlAttribute ?? 'expiresAt' };
  const rooms = new DynamoDbRoomRepository(table);
  const messages = new DynamoDbMessageLog(table);
  const connections = new DynamoDbConnectionRepository(table);
  const rateLimiter = new DynamoDbRateLimiter(table, { limit: { perSecond: 10, burst: 20 } });
  const users = new DynamoDbUserDirectory(table);
  const gateway = new FakeConnectionGateway();
  const fanout = new RecordingFanoutQueue();
  const service = new ChatService({ rooms, messages, connections });
  const broadcaster = new Broadcaster({ gateway, connections, fanout });
  const socket = new ChatSocket({ chat: service, connections, gateway, broadcaster, rateLimiter, users });
  return {
    table,
    tableName,
    rooms,
    messages,
    connections,
    rateLimiter,
    users,
    gateway,
    fanout,
    chat: service,
    broadcaster,
    socket,
  };
}
