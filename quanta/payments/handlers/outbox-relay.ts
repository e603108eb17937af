import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  createObservability,
  EventBridgePublisher,
  isTracingAvailable,
  outboxRelayHandler,
  parseEnvironment,
} from '@quanta/runtime';
import payments from '../quantum';
import { createCardSafeLogger } from './createCardSafeLogger';
import { relayEnvironmentSchema } from './paymentsEnvironment';

// Composition root of payments' `outboxRelay` function (table stream -> bus): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(relayEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: payments.name,
  tracingEnabled: isTracingAvailable(processEnv),
  logger: createCardSafeLogger(payments.name),
});

/** `outboxRelay`: forwards `PaymentAuthorized` and `PaymentDeclined` outbox items to the bus. */
export const handler = outboxRelayHandler({
  publisher: new EventBridgePublisher({
    client: observability.tracer.captureAWSv3Client(new EventBridgeClient({})),
    eventBusName: env.EVENT_BUS_NAME,
    source: env.EVENT_SOURCE,
  }),
  observability,
});
