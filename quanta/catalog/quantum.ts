import { defineQuantum } from '@quanta/runtime/quantum';

/**
 * catalog: products and their stock. Public reads, admin writes; answers ReserveStock/ReleaseStock
 * (all-or-nothing, idempotent per order, never below zero) and serves GetProducts to orders.
 */
export default defineQuantum({
  name: 'catalog',
  dir: import.meta.dirname,
  table: {
    ttlAttribute: 'expiresAt',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  functions: {
    api: { entry: 'functions/api.ts', memoryMb: 512, timeoutSeconds: 10 },
    facade: { entry: 'functions/facade.ts', memoryMb: 512, timeoutSeconds: 5 },
    requests: { entry: 'functions/requests.ts', memoryMb: 512, timeoutSeconds: 30 },
    outboxRelay: { entry: 'functions/outboxRelay.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  routes: [
    { method: 'GET', path: '/catalog/products', access: 'public' },
    { method: 'GET', path: '/catalog/products/{id}', access: 'public' },
    // Fits the longest valid product: 2,000 + 120 characters of up to 4 UTF-8 bytes each, and the rest.
    { method: 'POST', path: '/catalog/products', access: { role: 'admin' }, maxBodyBytes: 16_384 },
    { method: 'PATCH', path: '/catalog/products/{id}', access: { role: 'admin' }, maxBodyBytes: 4096 },
    { method: 'POST', path: '/catalog/products/{id}/restock', access: { role: 'admin' }, maxBodyBytes: 1024 },
  ],
  facade: [{ name: 'GetProducts', callers: ['orders'] }],
  publishes: ['ProductCreated', 'ProductRenamed', 'PriceChanged', 'StockDepleted'],
  outboxRelay: 'outboxRelay',
  requestHandlers: [
    { type: 'ReserveStock', function: 'requests' },
    { type: 'ReleaseStock', function: 'requests' },
  ],
});
