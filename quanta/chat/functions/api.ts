import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { DynamoDbConnectionRepository } from '../adapters/DynamoDbConnectionRepository';
import { DynamoDbMessageLog } from '../adapters/DynamoDbMessageLog';
import { DynamoDbRoomRepository } from '../adapters/DynamoDbRoomRepository';
import manifest from '../quantum';
import { ChatService } from '../service/ChatService';
import { routes } from './routes';

// Composition root of chat's `api` function: runs once per cold start. It pushes no frames, so it
// needs only the table.
const { observability, table } = functionContext(tableEnvironment, process.env);
const chat = new ChatService({
  rooms: new DynamoDbRoomRepository(table),
  messages: new DynamoDbMessageLog(table),
  connections: new DynamoDbConnectionRepository(table),
});

/** `api`: chat's public routes (create and list rooms, a room's history). */
export const handler = httpHandler(createRouter(manifest.routes ?? [], routes(chat)), { observability });
