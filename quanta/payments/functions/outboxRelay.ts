import { outboxRelayFunction } from '@quanta/runtime/events/relay';
import { cardSafeLogger } from './environment';

/** `outboxRelay`: forwards `PaymentAuthorized` and `PaymentDeclined` from the table stream to the bus. */
export const handler = outboxRelayFunction({
  env: process.env,
  logger: cardSafeLogger('payments'),
});
