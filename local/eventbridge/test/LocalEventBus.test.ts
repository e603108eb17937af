import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE_CAPACITY, EventArchive } from '../EventArchive';
import {
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
  InvalidEventPatternError,
} from '../errors';
import type { EventBusPut } from '../LocalEventBus';
import { LocalEventBus } from '../LocalEventBus';
import { RecordingQueueSender } from './RecordingQueueSender';
import { recordingLogger } from './recordingLogger';

const INBOX = 'http://127.0.0.1:1/000000000000/orders-inbox';
const DLQ = 'http://127.0.0.1:1/000000000000/orders-inbox-dlq';

const newBus = (
  sender = new RecordingQueueSender(),
  extra: { archive?: EventArchive; onPut?: (put: EventBusPut) => void } = {},
) => {
  const logger = recordingLogger();
  const bus = new LocalEventBus({
    queueSender: sender,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 2,
    logger,
    clock: () => new Date('2026-03-04T05:06:07.890Z'),
    ...extra,
  });
  return { bus, sender, logger };
};

const entry = (fields: Record<string, unknown> = {}) => ({
  Source: 'quanta.catalog',
  DetailType: 'ProductRenamed',
  Detail: JSON.stringify({ productId: 'p-1', name: 'Tea' }),
  ...fields,
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
describe('PutEvents validation', () => {
  it('accepts valid entries and gives each an EventId', () => {
    const { bus } = newBus();

    const result = bus.putEvents([entry(), entry()]);

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(2);
    expect(result.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
  });

  it('reports a failed entry with AWS codes and messages without failing the others', () => {
    const { bus } = newBus();

    const result = bus.putEvents([
      entry(),
      entry({ Source: undefined }),
      entry({ DetailType: '' }),
      entry({ Detail: undefined }),
      entry({ Detail: '["not", "an", "object"]' }),
      entry({ Detail: '{broken' }),
    ]);

    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries?.slice(1)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
  });

  it('rejects a request without entries or with more than 10', () => {
    const { bus } = newBus();

    expect(() => bus.putEvents([])).toThrow(/Member must have length greater than or equal to 1/);
    expect(() => bus.putEvents(Array.from({ length: 11 }, () => entry()))).toThrow(
      /Member must have length less than or equal to 10/,
    );
  });

  it('rejects a request whose entries exceed 256 KB together', () => {
    const { bus } = newBus();
    const detail = JSON.stringify({ blob: 'x'.repeat(100 * 1024) });

    const act = () =>
      bus.putEvents([entry({ Detail: detail }), entry({ Detail: detail }), entry({ Detail: detail })]);

    expect(act).toThrow(EventBridgeValidationError);
    expect(act).toThrow('Total size of the entries in the request is over the limit.');
  });

  it('accepts an entry for a bus that does not exist and delivers it nowhere, as AWS does', () => {
    const { bus, logger } = newBus();

    const result = bus.putEvents([entry({ EventBusName: 'missing-bus' })]);

    expect(result.FailedEntryCount).toBe(0);
    expect(bus.archive.size).toBe(0);
    expect(logger.lines.map((l) => l.level)).toEqual(['warn']);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
describe('delivered events', () => {
  it('have the AWS envelope and parse with the Powertools EventBridge schema', async () => {
    const { bus, sender } = newBus();
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);

    bus.putEvents([entry({ Resources: ['arn:aws:quanta:::product/p-1'] })]);
    await bus.drain();

    const [body] = sender.bodiesSentTo(INBOX);
    const event = EventBridgeSchema.parse(body);
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'ProductRenamed',
      source: 'quanta.catalog',
      account: '000000000000',
      time: '2026-03-04T05:06:07Z',
      region: 'us-east-1',
      resources: ['arn:aws:quanta:::product/p-1'],
      detail: { productId: 'p-1', name: 'Tea' },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carry the entry Time when one is given, to the second', async () => {
    const { bus, sender } = newBus();
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);

    bus.putEvents([entry({ Time: new Date('2025-12-31T23:59:59.999Z') })]);
    await bus.drain();

    expect(sender.bodiesSentTo(INBOX)).toMatchObject([{ time: '2025-12-31T23:59:59Z' }]);
  });

  it('go only to the rules whose pattern matches, on the bus named by the entry', async () => {
    const { bus, sender } = newBus();
    bus.createEventBus('quanta');
    bus.putRule('quanta', 'catalog', { source: ['quanta.catalog'] }, [{ id: 'a', queueUrl: `${INBOX}-a` }]);
    bus.putRule('quanta', 'identity', { source: ['quanta.identity'] }, [{ id: 'b', queueUrl: `${INBOX}-b` }]);
    bus.putRule('default', 'catalog', { source: ['quanta.catalog'] }, [{ id: 'c', queueUrl: `${INBOX}-c` }]);

    bus.putEvents([entry({ EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/quanta' })]);
    await bus.drain();

    expect(sender.sent.map((m) => m.queueUrl)).toEqual([`${INBOX}-a`]);
  });

  it('are delivered after PutEvents has returned', () => {
    const { bus, sender } = newBus();
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);

    bus.putEvents([entry()]);

    expect(sender.attempts).toEqual([]);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
describe('delivery failures', () => {
  it('are retried, and the event is delivered once the target recovers', async () => {
    const { bus, sender } = newBus();
    sender.failTransiently(INBOX, 2);
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);

    bus.putEvents([entry()]);
    await bus.drain();

    expect(sender.attempts).toEqual([INBOX, INBOX, INBOX]);
    expect(sender.bodiesSentTo(INBOX)).toHaveLength(1);
  });

  it('send the event to the DLQ with the AWS attributes once retries are exhausted', async () => {
    const { bus, sender } = newBus();
    sender.failTransiently(INBOX, Number.POSITIVE_INFINITY);
    const ruleArn = bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [
      { id: 'inbox', queueUrl: INBOX, deadLetterQueueUrl: DLQ, maximumRetryAttempts: 1 },
    ]);

    bus.putEvents([entry()]);
    await bus.drain();

    const [dead] = sender.sent.filter((m) => m.queueUrl === DLQ);
    expect(sender.attempts.filter((url) => url === INBOX)).toHaveLength(2);
    expect(JSON.parse(dead?.body ?? '{}')).toMatchObject({ source: 'quanta.catalog' });
    expect(dead?.attributes).toEqual({
      RULE_ARN: ruleArn,
      TARGET_ARN: 'arn:aws:sqs:us-east-1:000000000000:orders-inbox',
      ERROR_CODE: 'SDK_CLIENT_ERROR',
      ERROR_MESSAGE: `${INBOX} is throttling`,
      RETRY_ATTEMPTS: '1',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
  });

  it('that AWS does not retry go to the DLQ at once', async () => {
    const { bus, sender } = newBus();
    sender.failAsMissing(INBOX);
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [
      { id: 'inbox', queueUrl: INBOX, deadLetterQueueUrl: DLQ },
    ]);

    bus.putEvents([entry()]);
    await bus.drain();

    expect(sender.attempts).toEqual([INBOX, DLQ]);
    expect(sender.sent[0]?.attributes).toMatchObject({ ERROR_CODE: 'NO_RESOURCE', RETRY_ATTEMPTS: '0' });
    expect(sender.sent[0]?.attributes).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');
  });

  it('without a working DLQ are kept and logged, never silently dropped', async () => {
    const { bus, sender, logger } = newBus();
    sender.failAsMissing(INBOX);
    sender.failAsMissing(DLQ);
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [
      { id: 'inbox', queueUrl: INBOX, deadLetterQueueUrl: DLQ },
    ]);

    const [accepted] = bus.putEvents([entry()]).Entries ?? [];
    await bus.drain();

    expect(bus.undelivered.map((u) => u.event.id)).toEqual([accepted?.EventId]);
    expect(logger.lines.map((l) => l.level)).toEqual(['error']);
  });
});

describe('rules', () => {
  it('refuse an invalid pattern with the AWS reason', () => {
    const { bus } = newBus();

    const act = () => bus.putRule('default', 'bad', { source: 'quanta.catalog' }, []);

    expect(act).toThrow(InvalidEventPatternError);
    expect(act).toThrow('Event pattern is not valid. Reason: "source" must be an object or an array');
  });

  it('cannot be put on a bus that does not exist', () => {
    const { bus } = newBus();

    const act = () => bus.putRule('nope', 'r', { source: ['x'] }, []);

    expect(act).toThrow(EventBridgeResourceNotFoundError);
  });

  it('have the ARN AWS gives them on the default and on a custom bus', () => {
    const { bus } = newBus();
    bus.createEventBus('quanta');

    const arns = [
      bus.putRule('default', 'r1', { source: ['x'] }, []),
      bus.putRule('quanta', 'r2', { source: ['x'] }, []),
    ];

    expect(arns).toEqual([
      'arn:aws:events:us-east-1:000000000000:rule/r1',
      'arn:aws:events:us-east-1:000000000000:rule/quanta/r2',
    ]);
  });

  it('stop delivering once deleted', async () => {
    const { bus, sender } = newBus();
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);
    bus.deleteRule('default', 'renames');

    bus.putEvents([entry()]);
    await bus.drain();

    expect(sender.sent).toEqual([]);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
describe('TestEventPattern', () => {
  const event = JSON.stringify({
    id: '1',
    account: '123456789012',
    source: 'quanta.catalog',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    'detail-type': 'ProductRenamed',
    detail: {},
  });

  it('tells whether an event matches a pattern', () => {
    const { bus } = newBus();

    const results = [
      bus.testEventPattern('{"source": ["quanta.catalog"]}', event),
      bus.testEventPattern('{"source": ["quanta.identity"]}', event),
    ];

    expect(results).toEqual([true, false]);
  });

  it('rejects an event that is not a JSON object with the mandatory fields', () => {
    const { bus } = newBus();

    const attempts = ['not json', '["an", "array"]', '{"source": "quanta.catalog"}'].map(
      (candidate) => () => bus.testEventPattern('{"source": ["quanta.catalog"]}', candidate),
    );

    for (const attempt of attempts) expect(attempt).toThrow('Parameter Event is not valid.');
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
describe('the archive', () => {
  const directories: string[] = [];

  afterAll(async () => {
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  it('keeps every accepted event and replays a time range to the matching rules with replay-name', async () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const sender = new RecordingQueueSender();
    const bus = new LocalEventBus({ queueSender: sender, clock: () => now, logger: recordingLogger() });
    bus.putEvents([entry({ Detail: '{"n": 1}' })]);
    now = new Date('2026-01-01T11:00:00Z');
    bus.putEvents([entry({ Detail: '{"n": 2}' })]);
    bus.putRule('default', 'late', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);

    const replayed = bus.replay(new Date('2026-01-01T10:30:00Z'), new Date('2026-01-01T12:00:00Z'), {
      replayName: 'backfill',
    });
    await bus.drain();

    expect(replayed).toBe(1);
    expect(bus.archive.size).toBe(2);
    expect(sender.bodiesSentTo(INBOX)).toMatchObject([{ detail: { n: 2 }, 'replay-name': 'backfill' }]);
    expect(EventBridgeSchema.safeParse(sender.bodiesSentTo(INBOX)[0]).success).toBe(true);
  });

  it('appends to a JSON-lines file that a new archive can load', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'quanta-archive-'));
    directories.push(directory);
    const filePath = join(directory, 'events.jsonl');
    const { bus } = newBus(new RecordingQueueSender(), { archive: new EventArchive({ filePath }) });

    bus.putEvents([entry(), entry({ DetailType: 'PriceChanged' })]);
    await bus.close();
    const reopened = new EventArchive({ filePath });
    const loaded = await reopened.load();

    expect((await readFile(filePath, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(loaded).toBe(2);
    expect(reopened.between(new Date(0), new Date('2100-01-01')).map((r) => r.event['detail-type'])).toEqual([
      'ProductRenamed',
      'PriceChanged',
    ]);
  });

  it('keeps the newest events up to its capacity and counts the ones it dropped', () => {
    const archive = new EventArchive({ capacity: 2 });
    const { bus } = newBus(new RecordingQueueSender(), { archive });

    bus.putEvents([entry({ Detail: '{"n": 1}' }), entry({ Detail: '{"n": 2}' })]);
    bus.putEvents([entry({ Detail: '{"n": 3}' })]);

    expect(archive.size).toBe(2);
    expect(archive.dropped).toBe(1);
    expect(archive.between(new Date(0), new Date('2100-01-01')).map((r) => r.event.detail)).toEqual([
      { n: 2 },
      { n: 3 },
    ]);
  });

  it('loads a longer file as its newest events, and the file keeps them all', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'quanta-archive-'));
    directories.push(directory);
    const filePath = join(directory, 'events.jsonl');
    const { bus } = newBus(new RecordingQueueSender(), {
      archive: new EventArchive({ filePath, capacity: 1 }),
    });
    bus.putEvents([
      entry({ Detail: '{"n": 1}' }),
      entry({ Detail: '{"n": 2}' }),
      entry({ Detail: '{"n": 3}' }),
    ]);
    await bus.close();

    const reopened = new EventArchive({ filePath, capacity: 2 });
    const loaded = await reopened.load();

    expect((await readFile(filePath, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(loaded).toBe(3);
    expect(reopened.between(new Date(0), new Date('2100-01-01')).map((r) => r.event.detail)).toEqual([
      { n: 2 },
      { n: 3 },
    ]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventArchive({ capacity: 0 })).toThrow(RangeError);
    expect(() => new EventArchive({ capacity: 1.5 })).toThrow(RangeError);
  });

  it('holds the default capacity of events unless told otherwise', () => {
    const { bus } = newBus();

    for (let i = 0; i <= DEFAULT_ARCHIVE_CAPACITY; i += 10) {
      bus.putEvents(Array.from({ length: 10 }, () => entry()));
    }

    expect(bus.archive.size).toBe(DEFAULT_ARCHIVE_CAPACITY);
    expect(bus.archive.dropped).toBe(10);
  });
});

describe('a listener of the bus', () => {
  it('hears each accepted event with the names of the rules it matched, none when it matched none', () => {
    const puts: EventBusPut[] = [];
    const { bus } = newBus(undefined, { onPut: (put) => puts.push(put) });
    bus.putRule('default', 'renames', { source: ['quanta.catalog'] }, [{ id: 'inbox', queueUrl: INBOX }]);
    bus.putRule('default', 'all-catalog', { source: ['quanta.catalog'] }, []);
    bus.putRule('default', 'identity', { source: ['quanta.identity'] }, []);

    bus.putEvents([entry(), entry({ Source: 'quanta.payments' }), entry({ Detail: 'not json' })]);

    expect(puts.map((p) => [p.busName, p.event.source, p.rules])).toEqual([
      ['default', 'quanta.catalog', ['renames', 'all-catalog']],
      ['default', 'quanta.payments', []],
    ]);
  });
});
