import { defineQuantum } from '@quanta/runtime/quantum';

/**
 * payments: payment intents against a simulated card processor. Answers AuthorizePayment and
 * RefundPayment (idempotent per order), serves GetPayment to orders; never stores or logs a whole
 * card number (last 4 only).
 */
export default defineQuantum({
  name: 'payments',
  dir: import.meta.dirname,
  table: { ttlAttribute: 'expiresAt' },
  functions: {
    facade: { entry: 'functions/facade.ts', memoryMb: 256, timeoutSeconds: 5 },
    // 10 s is ample for a batch of 10 (a few DynamoDB calls each) and makes the request queue's
    // visibility timeout (6 × timeout) 60 s, so a processing-error retry comes back within a minute.
    // Keep PAYMENT_LEASE_SECONDS (default 30) between the timeout and the visibility timeout.
    requests: { entry: 'functions/requests.ts', memoryMb: 512, timeoutSeconds: 10 },
    outboxRelay: { entry: 'functions/outboxRelay.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  facade: [{ name: 'GetPayment', callers: ['orders'] }],
  publishes: ['PaymentAuthorized', 'PaymentDeclined'],
  outboxRelay: 'outboxRelay',
  requestHandlers: [
    { type: 'AuthorizePayment', function: 'requests' },
    { type: 'RefundPayment', function: 'requests' },
  ],
});
