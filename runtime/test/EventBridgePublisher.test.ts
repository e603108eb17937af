import type {
  EventBridgeClient,
  PutEventsCommand,
  PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { defineEvent } from '@quanta/contracts/envelope';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventPublishError } from '../src/errors';
import { EventBridgePublisher } from '../src/events/EventBridgePublisher';
import { createEnvelope } from '../src/events/outbox';

const Pinged = defineEvent('shop', 'Pinged', 1, z.object({ n: z.number() }));
const events = (count: number) =>
  Array.from({ length: count }, (_, n) => createEnvelope(Pinged, { n }, { correlationId: 'corr-1' }));

/** A fake EventBridge client: records each PutEvents input and answers with `answer(callIndex, input)`. */
function fakeClient(answer: (call: number, entries: number) => PutEventsCommandOutput | Error) {
  const calls: PutEventsCommand['input'][] = [];
  const client = {
    send: async (command: PutEventsCommand) => {
      calls.push(command.input);
      const result = answer(calls.length - 1, command.input.Entries?.length ?? 0);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
}

const ok = (entries: number): PutEventsCommandOutput => ({
  $metadata: {},
  FailedEntryCount: 0,
  Entries: Array.from({ length: entries }, (_, i) => ({ EventId: `eb-${i}` })),
});

describe('EventBridgePublisher', () => {
  it('puts each envelope with its source, detail-type, JSON detail and bus, in batches of 10', async () => {
    // Arrange
    const { client, calls } = fakeClient((_, n) => ok(n));
    const publisher = new EventBridgePublisher({ client, eventBusName: 'quanta-bus', source: 'quanta.shop' });
    const batch = events(23);

    // Act
    await publisher.publish(batch);

    // Assert
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    const first = calls[0]?.Entries?.[0];
    expect(first).toMatchObject({ EventBusName: 'quanta-bus', Source: 'quanta.shop', DetailType: 'Pinged' });
    expect(JSON.parse(first?.Detail ?? '')).toEqual(batch[0]);
  });

  it('lists the failed entries and every later event when a batch partly fails', async () => {
    // Arrange
    const { client, calls } = fakeClient((call, n) =>
      call === 0
        ? ok(n)
        : {
            $metadata: {},
            FailedEntryCount: 1,
            Entries: Array.from({ length: n }, (_, i) =>
              i === 2
                ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
                : { EventId: `eb-${i}` },
            ),
          },
    );
    const publisher = new EventBridgePublisher({ client, eventBusName: 'quanta-bus', source: 'quanta.shop' });
    const batch = events(25);

    // Act
    const error = await publisher.publish(batch).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(EventPublishError);
    const failed = (error as EventPublishError).failed;
    expect(calls).toHaveLength(2);
    expect(failed[0]).toEqual({
      eventId: batch[12]?.id,
      errorCode: 'ThrottlingException',
      errorMessage: 'Rate exceeded',
    });
    expect(failed.slice(1).map((f) => f.eventId)).toEqual(batch.slice(20).map((e) => e.id));
    expect(failed.slice(1).every((f) => f.errorCode === 'NOT_ATTEMPTED')).toBe(true);
  });

  it('reports a whole batch as failed when the call itself fails', async () => {
    // Arrange
    const { client } = fakeClient(() => new Error('socket hang up'));
    const publisher = new EventBridgePublisher({ client, eventBusName: 'quanta-bus', source: 'quanta.shop' });

    // Act
    const error = (await publisher.publish(events(3)).catch((e: unknown) => e)) as EventPublishError;

    // Assert
    expect(error.failed.map((f) => f.errorCode)).toEqual([
      'REQUEST_FAILED',
      'REQUEST_FAILED',
      'REQUEST_FAILED',
    ]);
    expect((error.cause as Error).message).toBe('socket hang up');
  });

  it('refuses an envelope from another source before calling the bus', async () => {
    // Arrange
    const { client, calls } = fakeClient((_, n) => ok(n));
    const publisher = new EventBridgePublisher({
      client,
      eventBusName: 'quanta-bus',
      source: 'quanta.other',
    });

    // Act
    const attempt = publisher.publish(events(1));

    // Assert
    await expect(attempt).rejects.toThrow(/this publisher puts only "quanta.other"/);
    expect(calls).toHaveLength(0);
  });
});
