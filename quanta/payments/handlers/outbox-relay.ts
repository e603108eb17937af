import { outboxRelayFunction } from '@quanta/runtime';
import payments from '../quantum';
import { createCardSafeLogger } from './createCardSafeLogger';

/** `outboxRelay`: forwards `PaymentAuthorized` and `PaymentDeclined` from the table stream to the bus. */
export const handler = outboxRelayFunction({
  env: process.env,
  quantum: payments.name,
  logger: createCardSafeLogger(payments.name),
});
