import { outboxRelayFunction } from '@quanta/runtime';
import orders from '../quantum';

/** `outboxRelay`: forwards orders's committed outbox events from the table stream to the bus. */
export const handler = outboxRelayFunction({ env: process.env, quantum: orders.name });
