import type { AnyEventEnvelope } from '@quanta/contracts';

/**
 * Port: publishes event envelopes to the bus, in order, at least once. Rejects with an
 * `EventPublishError` listing every event that was not accepted.
 *
 * @example
 * ```ts
 * await publisher.publish([envelope]);
 * ```
 */
export interface EventPublisher {
  publish(events: readonly AnyEventEnvelope[]): Promise<void>;
}
