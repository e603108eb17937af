import { createRoomRequestSchema, historyQuerySchema } from '@quanta/contracts/chat';
import { idSchema, pageQuerySchema } from '@quanta/contracts/common';
import { jsonResponse } from '@quanta/runtime/http';
import { parseInput, type RouteHandlers } from '@quanta/runtime/http/router';
import type { ChatService } from '../service/ChatService';

/**
 * chat's routes (one per manifest route): parse the input with the contract's schema, call the
 * service, shape the response. Every route is `authenticated`, enforced by the router from the
 * manifest before any of these runs.
 *
 * @example
 * ```ts
 * const router = createRouter(manifest.routes ?? [], routes(new ChatService({ rooms, messages, connections })));
 * ```
 */
export function routes(chat: ChatService): RouteHandlers {
  return {
    'POST /chat/rooms': async (req) => {
      const { name } = req.parseBody(createRoomRequestSchema);
      return jsonResponse(201, await chat.createRoom(name, req.requireCaller().userId));
    },
    'GET /chat/rooms': async (req) =>
      jsonResponse(200, await chat.listRooms(req.parseQuery(pageQuerySchema))),
    'GET /chat/rooms/{roomId}/messages': async (req) => {
      const roomId = parseInput(idSchema, req.pathParameters.roomId, 'room id');
      return jsonResponse(200, await chat.history(roomId, req.parseQuery(historyQuerySchema)));
    },
  };
}
