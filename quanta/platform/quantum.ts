import { defineQuantum } from '@quanta/runtime/manifest';

/**
 * platform: the meeting points (HTTP API + authorizer, event bus, request/reply queues, WebSocket
 * API) and its own small state: the session denylist and one-time WebSocket tickets.
 */
export default defineQuantum({
  name: 'platform',
  dir: import.meta.dirname,
  basePath: '/realtime',
  table: { ttlAttribute: 'expiresAt' },
  functions: {
    authorizer: { entry: 'handlers/authorizer.ts', memoryMb: 512, timeoutSeconds: 5 },
    wsAuthorizer: { entry: 'handlers/ws-authorizer.ts', memoryMb: 256, timeoutSeconds: 5 },
    api: { entry: 'handlers/api.ts', memoryMb: 256, timeoutSeconds: 5 },
    sessionRevoked: { entry: 'handlers/session-revoked.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  routes: [{ method: 'POST', path: '/realtime/tickets', access: 'authenticated', maxBodyBytes: 1024 }],
  subscriptions: [
    {
      id: 'session-revoked',
      function: 'sessionRevoked',
      pattern: { source: ['quanta.identity'], 'detail-type': ['SessionRevoked'] },
      batchSize: 10,
    },
  ],
});
