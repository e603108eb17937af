import { outboxRelayFunction } from '@quanta/runtime/events/relay';

/** `outboxRelay`: forwards chat's committed outbox events (`MessagePosted`) from the table stream to the bus. */
export const handler = outboxRelayFunction({ env: process.env });
