import { outboxRelayFunction } from '@quanta/runtime/events/relay';

/** `outboxRelay`: forwards orders' committed outbox events from the table stream to the bus. */
export const handler = outboxRelayFunction({ env: process.env });
