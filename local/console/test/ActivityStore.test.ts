import { describe, expect, it } from 'vitest';
import type { FunctionInvoker, InvokeResult } from '../../lambda/FunctionInvoker';
import { ActivityStore } from '../ActivityStore';
import { RecordingInvoker } from '../RecordingInvoker';

const OK: InvokeResult = { ok: true, payload: null, durationMs: 3, coldStart: false };

const sqsSpy = (status: 'published' | 'consumed' | 'dlq', messageId = 'm-1') => ({
  service: 'sqs' as const,
  queueName: 'quanta-catalog-requests',
  messageId,
  body: '{"type":"ReserveStock"}',
  messageAttributes: {},
  status,
  timestamp: 1_000,
});

describe('ActivityStore', () => {
  it('keeps the newest records up to its capacity, oldest first', () => {
    const store = new ActivityStore({ capacity: 3 });

    for (let i = 0; i < 5; i++) store.recordInvocation(`shop.fn${i}`, {}, i, OK);

    expect(store.activity().map((r) => (r.kind === 'invocation' ? r.functionId : r.kind))).toEqual([
      'shop.fn2',
      'shop.fn3',
      'shop.fn4',
    ]);
    expect(store.lastSeq).toBe(5);
  });

  it('returns what was recorded after a number, activity and log lines apart', () => {
    const store = new ActivityStore({ now: () => 42 });
    store.recordInvocation('shop.api', {}, 1, OK);
    store.recordLog({ functionId: 'shop.api', stream: 'stdout', line: 'first' });
    const mark = store.lastSeq;
    store.recordPush({ connectionId: 'c-1', data: Buffer.from('{}'), delivered: true });
    store.recordLog({ functionId: 'shop.api', stream: 'stderr', line: 'second' });

    const after = store.since(mark);

    expect(after.activity.map((r) => r.kind)).toEqual(['push']);
    expect(after.logs.map((l) => [l.line, l.at])).toEqual([['second', 42]]);
    expect(store.since(store.lastSeq)).toEqual({ activity: [], logs: [] });
  });

  it('finds a kept record by number and forgets an evicted one', () => {
    const store = new ActivityStore({ capacity: 2 });
    store.recordInvocation('shop.a', {}, 1, OK);
    store.recordInvocation('shop.b', {}, 2, OK);
    store.recordInvocation('shop.c', {}, 3, OK);

    expect(store.find(1)).toBeUndefined();
    expect(store.find(3)).toMatchObject({ kind: 'invocation', functionId: 'shop.c' });
  });

  it('names what fauxqs reports of a message in the words of the console', () => {
    const store = new ActivityStore();

    store.recordMessage(sqsSpy('published'));
    store.recordMessage(sqsSpy('consumed'));
    store.recordMessage(sqsSpy('dlq'));

    expect(store.activity().map((r) => (r.kind === 'message' ? r.status : r.kind))).toEqual([
      'sent',
      'deleted',
      'dead-lettered',
    ]);
  });

  it('tells subscribers that something was recorded until they unsubscribe', () => {
    const store = new ActivityStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);

    store.recordEvent({ busName: 'bus', event: {} as never, rules: [] });
    unsubscribe();
    store.recordEvent({ busName: 'bus', event: {} as never, rules: [] });

    expect(calls).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new ActivityStore({ capacity: 0 })).toThrow(/positive integer, got 0/);
  });
});

describe('RecordingInvoker', () => {
  it('records each settled invocation with its event, start time and result', async () => {
    const store = new ActivityStore();
    const inner: FunctionInvoker = { invoke: async () => OK };
    const invoker = new RecordingInvoker(inner, store.recordInvocation, () => 7);

    const result = await invoker.invoke('shop.api', { hello: 'world' });

    expect(result).toBe(OK);
    expect(store.activity()).toEqual([
      { kind: 'invocation', seq: 1, at: 7, functionId: 'shop.api', event: { hello: 'world' }, result: OK },
    ]);
  });

  it('records an invocation that could not run and still rejects', async () => {
    const store = new ActivityStore();
    const failure = new Error('runtime stopped');
    const invoker = new RecordingInvoker({ invoke: () => Promise.reject(failure) }, store.recordInvocation);

    await expect(invoker.invoke('shop.api', {})).rejects.toBe(failure);

    expect(store.activity()[0]).toMatchObject({
      kind: 'invocation',
      result: { ok: false, rejected: failure },
    });
  });
});
