import { defineQuantum } from '@quanta/runtime/quantum';

/**
 * chat: rooms, their messages (a gapless `seq` per room), WebSocket connections and memberships.
 * Serves the platform's WebSocket API (`ws`), pushes live order updates to their owner and closes
 * the sockets of a revoked session. Keeps its own copy of display names from `UserRegistered`.
 */
export default defineQuantum({
  name: 'chat',
  dir: import.meta.dirname,
  table: {
    ttlAttribute: 'expiresAt',
    indexes: [
      // gsi1: the room list (`ROOMS`, creation order) and a user's connections (`USER#<id>`, order frames).
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // gsi2: a session's connections (`SESSION#<id>`, closed on logout).
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    ],
  },
  functions: {
    api: { entry: 'functions/api.ts', memoryMb: 512, timeoutSeconds: 10 },
    ws: { entry: 'functions/ws.ts', memoryMb: 512, timeoutSeconds: 15 },
    orderEvents: { entry: 'functions/orderEvents.ts', memoryMb: 256, timeoutSeconds: 30 },
    sessionRevoked: { entry: 'functions/sessionRevoked.ts', memoryMb: 256, timeoutSeconds: 30 },
    fanout: { entry: 'functions/fanout.ts', memoryMb: 512, timeoutSeconds: 60 },
    userRegistered: { entry: 'functions/userRegistered.ts', memoryMb: 256, timeoutSeconds: 30 },
    outboxRelay: { entry: 'functions/outboxRelay.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  routes: [
    { method: 'POST', path: '/chat/rooms', access: 'authenticated', maxBodyBytes: 1024 },
    { method: 'GET', path: '/chat/rooms', access: 'authenticated' },
    { method: 'GET', path: '/chat/rooms/{roomId}/messages', access: 'authenticated' },
  ],
  publishes: ['MessagePosted'],
  outboxRelay: 'outboxRelay',
  subscriptions: [
    {
      id: 'order-events',
      function: 'orderEvents',
      pattern: { source: ['quanta.orders'], 'detail-type': ['OrderConfirmed', 'OrderCancelled'] },
    },
    {
      // No batching window: a logout must close the sockets within 2 s end to end.
      id: 'session-revoked',
      function: 'sessionRevoked',
      pattern: { source: ['quanta.identity'], 'detail-type': ['SessionRevoked'] },
      batchSize: 10,
    },
    {
      id: 'user-registered',
      function: 'userRegistered',
      pattern: { source: ['quanta.identity'], 'detail-type': ['UserRegistered'] },
    },
  ],
  // One batch (100 connections) per invocation: a large room's batches are pushed in parallel.
  workQueues: [{ id: 'fanout', function: 'fanout', batchSize: 1 }],
  webSocket: { function: 'ws', routes: ['$connect', '$disconnect', '$default', 'join', 'leave', 'send'] },
});
