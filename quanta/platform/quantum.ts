import { defineQuantum } from '@quanta/runtime/quantum';

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
    authorizer: { entry: 'functions/authorizer.ts', memoryMb: 512, timeoutSeconds: 5 },
    wsAuthorizer: { entry: 'functions/wsAuthorizer.ts', memoryMb: 256, timeoutSeconds: 5 },
    api: { entry: 'functions/api.ts', memoryMb: 256, timeoutSeconds: 5 },
    sessionRevoked: { entry: 'functions/sessionRevoked.ts', memoryMb: 256, timeoutSeconds: 30 },
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
