import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { ConfigurationError, EventPublishError, type FailedEventEntry } from '../errors';

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

/** PutEvents accepts at most 10 entries per call. */
const MAX_ENTRIES = 10;

/** Options of {@link EventBridgePublisher}. */
export interface EventBridgePublisherOptions {
  /** Client built in the composition root. */
  readonly client: EventBridgeClient;
  /** Bus name or ARN (the platform bus, or the quantum's own bus in another account). */
  readonly eventBusName: string;
  /** This quantum's source, `quanta.<name>`; the bus only admits puts with its own source. */
  readonly source: string;
}

/**
 * {@link EventPublisher} on EventBridge: `PutEvents` with `Source` = the quantum's source,
 * `DetailType` = the event type, `Detail` = the JSON envelope, `Time` = `occurredAt`, in batches of 10
 * sent in order. A batch with failed entries (`FailedEntryCount`, per-entry `ErrorCode`) or a failed
 * call stops publishing and rejects with an `EventPublishError` listing the failed entries and every
 * later one (`NOT_ATTEMPTED`), so the caller retries exactly those, in order.
 *
 * @example
 * ```ts
 * const publisher = new EventBridgePublisher({ client: new EventBridgeClient({}), eventBusName, source: 'quanta.identity' });
 * await publisher.publish([envelope]);
 * ```
 */
export class EventBridgePublisher implements EventPublisher {
  readonly #options: EventBridgePublisherOptions;

  constructor(options: EventBridgePublisherOptions) {
    this.#options = options;
  }

  async publish(events: readonly AnyEventEnvelope[]): Promise<void> {
    const wrongSource = events.find((e) => e.source !== this.#options.source);
    if (wrongSource !== undefined) {
      throw new ConfigurationError(
        `Event ${wrongSource.id} has source ${JSON.stringify(wrongSource.source)}; this publisher puts only ${JSON.stringify(this.#options.source)}`,
      );
    }
    for (let start = 0; start < events.length; start += MAX_ENTRIES) {
      const batch = events.slice(start, start + MAX_ENTRIES);
      const notAttempted = (): FailedEventEntry[] =>
        events.slice(start + MAX_ENTRIES).map((e) => ({
          eventId: e.id,
          errorCode: 'NOT_ATTEMPTED',
          errorMessage: 'An earlier batch failed',
        }));
      let response: PutEventsCommandOutput;
      try {
        response = await this.#options.client.send(
          new PutEventsCommand({ Entries: batch.map((e) => this.#entryOf(e)) }),
        );
      } catch (error) {
        const failed = batch.map((e) => ({
          eventId: e.id,
          errorCode: 'REQUEST_FAILED',
          errorMessage: (error as Error).message ?? String(error),
        }));
        throw new EventPublishError([...failed, ...notAttempted()], { cause: error });
      }
      const entries = response.Entries ?? [];
      const failed: FailedEventEntry[] = [];
      batch.forEach((event, i) => {
        const entry = entries[i];
        // A missing entry or one without an EventId was not accepted, whatever FailedEntryCount says.
        if (entry === undefined || entry.ErrorCode !== undefined || entry.EventId === undefined) {
          failed.push({
            eventId: event.id,
            errorCode: entry?.ErrorCode ?? 'UNKNOWN',
            errorMessage: entry?.ErrorMessage ?? 'No result entry for this event',
          });
        }
      });
      if (failed.length === 0 && (response.FailedEntryCount ?? 0) > 0) {
        // The count says something failed but no entry says which: treat the whole batch as failed.
        failed.push(
          ...batch.map((e) => ({
            eventId: e.id,
            errorCode: 'UNKNOWN',
            errorMessage: 'FailedEntryCount > 0',
          })),
        );
      }
      if (failed.length > 0) throw new EventPublishError([...failed, ...notAttempted()]);
    }
  }

  #entryOf(event: AnyEventEnvelope): PutEventsRequestEntry {
    return {
      EventBusName: this.#options.eventBusName,
      Source: this.#options.source,
      DetailType: event.type,
      Detail: JSON.stringify(event),
      Time: new Date(event.occurredAt),
    };
  }
}
