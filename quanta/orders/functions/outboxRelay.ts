import { outboxRelayFunction } from '@quanta/runtime/events';

/** `outboxRelay`: forwards orders' committed outbox events from the table stream to the bus. */
export const handler = outboxRelayFunction({ env: process.env, quantum: 'orders' });
