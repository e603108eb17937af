import { defineQuantum } from '@quanta/runtime/quantum';

/**
 * orders: orders and the saga that fulfils them (orchestrated): price through catalog's facade ->
 * ReserveStock -> AuthorizePayment -> CONFIRMED, or compensate (ReleaseStock, RefundPayment) ->
 * CANCELLED with a reason. Every request has a deadline; a scheduled sweep cancels what passed it.
 * Keeps its own copy of product names, updated by catalog's ProductRenamed.
 */
export default defineQuantum({
  name: 'orders',
  dir: import.meta.dirname,
  table: {
    ttlAttribute: 'expiresAt',
    indexes: [
      // gsi1: a user's orders, newest first (GET /orders).
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // gsi2: pending orders by deadline (the sweep).
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    ],
  },
  encryptionKey: true,
  functions: {
    api: { entry: 'functions/api.ts', memoryMb: 512, timeoutSeconds: 10 },
    replies: { entry: 'functions/replies.ts', memoryMb: 512, timeoutSeconds: 30 },
    productRenamed: { entry: 'functions/productRenamed.ts', memoryMb: 256, timeoutSeconds: 30 },
    sweeper: { entry: 'functions/sweeper.ts', memoryMb: 512, timeoutSeconds: 60 },
    outboxRelay: { entry: 'functions/outboxRelay.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  routes: [
    { method: 'POST', path: '/orders', access: 'authenticated', maxBodyBytes: 8192 },
    { method: 'GET', path: '/orders', access: 'authenticated' },
    { method: 'GET', path: '/orders/{id}', access: 'authenticated' },
    { method: 'POST', path: '/orders/{id}/cancel', access: 'authenticated', maxBodyBytes: 1024 },
  ],
  publishes: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'],
  outboxRelay: 'outboxRelay',
  calls: ['catalog'],
  sends: [
    { quantum: 'catalog', types: ['ReserveStock', 'ReleaseStock'] },
    { quantum: 'payments', types: ['AuthorizePayment', 'RefundPayment'] },
  ],
  replyHandler: 'replies',
  subscriptions: [
    {
      id: 'product-renamed',
      function: 'productRenamed',
      pattern: { source: ['quanta.catalog'], 'detail-type': ['ProductRenamed'] },
    },
  ],
  schedules: [{ id: 'deadline-sweep', function: 'sweeper', everySeconds: 60 }],
  metricAlarms: [
    {
      metric: 'SagaTimeouts',
      description:
        'Orders were cancelled because their saga passed its deadline: a step is slow or a quantum is down',
    },
    {
      metric: 'SweepFailures',
      description: 'The deadline sweep failed on some orders; they may stay pending',
    },
  ],
});
