import type { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { parseEnvironment } from '../config/parseEnvironment';
import { ENV } from '../manifest/environment';
import { createObservability, isTracingAvailable } from '../observability/Observability';
import { EventBridgePublisher } from './EventBridgePublisher';
import { outboxRelayHandler } from './outboxRelayHandler';

/** Options of {@link outboxRelayFunction}. */
export interface OutboxRelayFunctionOptions {
  /** The function's environment, read by the handler file (its composition root). */
  readonly env: NodeJS.ProcessEnv;
  /** The quantum's name (logs, metrics, and the expected `EVENT_SOURCE`, `quanta.<name>`). */
  readonly quantum: string;
  /** A logger of the quantum's own (e.g. one that masks card numbers). @default Powertools' Logger */
  readonly logger?: Logger;
}

/**
 * The whole `outboxRelay` function of a quantum that publishes through its outbox: table stream ->
 * the platform bus, with the runtime's observability. Every publishing quantum's relay is the same,
 * so its handler file is one line.
 *
 * @example
 * ```ts
 * // quanta/catalog/handlers/outbox-relay.ts
 * export const handler = outboxRelayFunction({ env: process.env, quantum: catalog.name });
 * ```
 */
export function outboxRelayFunction(
  options: OutboxRelayFunctionOptions,
): ReturnType<typeof outboxRelayHandler> {
  const env = parseEnvironment(
    z.object({
      [ENV.eventBusName]: z.string().min(1),
      [ENV.eventSource]: z.literal(`quanta.${options.quantum}`),
    }),
    options.env,
  );
  const observability = createObservability({
    serviceName: options.quantum,
    tracingEnabled: isTracingAvailable(options.env),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return outboxRelayHandler({
    publisher: new EventBridgePublisher({
      client: observability.tracer.captureAWSv3Client(new EventBridgeClient({})),
      eventBusName: env[ENV.eventBusName],
      source: env[ENV.eventSource],
    }),
    observability,
  });
}
