import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  createObservability,
  EventBridgePublisher,
  isTracingAvailable,
  outboxRelayHandler,
  parseEnvironment,
} from '@quanta/runtime';
import orders from '../quantum';
import { relayEnvironmentSchema } from './ordersEnvironment';

// Composition root of orders' `outboxRelay` function (table stream -> bus): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(relayEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: orders.name,
  tracingEnabled: isTracingAvailable(processEnv),
});

/** `outboxRelay`: forwards `OrderPlaced`, `OrderConfirmed` and `OrderCancelled` outbox items to the bus. */
export const handler = outboxRelayHandler({
  publisher: new EventBridgePublisher({
    client: observability.tracer.captureAWSv3Client(new EventBridgeClient({})),
    eventBusName: env.EVENT_BUS_NAME,
    source: env.EVENT_SOURCE,
  }),
  observability,
});
