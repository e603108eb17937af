import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  createObservability,
  EventBridgePublisher,
  isTracingAvailable,
  outboxRelayHandler,
  parseEnvironment,
} from '@quanta/runtime';
import catalog from '../quantum';
import { relayEnvironmentSchema } from './catalogEnvironment';

// Composition root of catalog's `outboxRelay` function (table stream -> bus): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(relayEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: catalog.name,
  tracingEnabled: isTracingAvailable(processEnv),
});

/** `outboxRelay`: forwards ProductCreated, ProductRenamed, PriceChanged and StockDepleted to the bus. */
export const handler = outboxRelayHandler({
  publisher: new EventBridgePublisher({
    client: observability.tracer.captureAWSv3Client(new EventBridgeClient({})),
    eventBusName: env.EVENT_BUS_NAME,
    source: env.EVENT_SOURCE,
  }),
  observability,
});
