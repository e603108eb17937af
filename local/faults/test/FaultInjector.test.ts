import { describe, expect, it } from 'vitest';
import { LambdaRuntimeStoppedError } from '../../lambda/errors';
import type { FunctionInvoker, InvokeResult } from '../../lambda/FunctionInvoker';
import { FaultInjector } from '../FaultInjector';

/** Counts how often each function really ran: the side effects a fault does or does not let happen. */
class CountingInvoker implements FunctionInvoker {
  readonly ran = new Map<string, number>();

  async invoke(functionId: string, event: unknown): Promise<InvokeResult> {
    this.ran.set(functionId, (this.ran.get(functionId) ?? 0) + 1);
    return { ok: true, payload: event, durationMs: 1, coldStart: false };
  }
}

const TIMEOUT_MS = 150;

function setup(seed?: number) {
  const inner = new CountingInvoker();
  const faults = new FaultInjector({
    inner,
    timeoutMsOf: () => TIMEOUT_MS,
    ...(seed === undefined ? {} : { seed }),
  });
  return { inner, faults };
}

async function invokeTimes(faults: FaultInjector, functionId: string, n: number): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  for (let i = 0; i < n; i++) results.push(await faults.invoke(functionId, { i }));
  return results;
}

describe('FaultInjector', () => {
  it('passes every invocation through untouched while no fault is injected', async () => {
    const { inner, faults } = setup();

    const results = await invokeTimes(faults, 'shop.worker', 5);

    expect(results.every((r) => r.ok)).toBe(true);
    expect(inner.ran.get('shop.worker')).toBe(5);
  });

  it('fails every invocation without running the function in fail-before mode', async () => {
    const { inner, faults } = setup();
    faults.inject('shop.worker', { mode: 'fail-before' });

    const results = await invokeTimes(faults, 'shop.worker', 4);

    expect(results.filter((r) => !r.ok)).toHaveLength(4);
    expect(results[0]).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(inner.ran.get('shop.worker')).toBeUndefined();
    expect(faults.stats('shop.worker')).toEqual({
      invocations: 4,
      executions: 0,
      injected: { 'fail-before': 4, 'fail-after': 0, hang: 0 },
    });
  });

  it('runs the function and still reports a failure in fail-after mode (the at-least-once case)', async () => {
    const { inner, faults } = setup();
    faults.inject('shop.worker', { mode: 'fail-after' });

    const results = await invokeTimes(faults, 'shop.worker', 3);

    expect(results.every((r) => !r.ok)).toBe(true);
    expect(inner.ran.get('shop.worker')).toBe(3);
    expect(faults.stats('shop.worker').executions).toBe(3);
  });

  it('fails with Sandbox.Timedout only after the function’s timeout, without running it, in hang mode', async () => {
    const { inner, faults } = setup();
    faults.inject('shop.worker', { mode: 'hang' });
    const started = Date.now();

    const result = await faults.invoke('shop.worker', {});

    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(result).toMatchObject({
      ok: false,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/Task timed out after 0\.15 seconds$/),
      },
    });
    expect(inner.ran.get('shop.worker')).toBeUndefined();
  });

  it('affects only the function it was injected on', async () => {
    const { inner, faults } = setup();
    faults.inject('shop.worker', { mode: 'fail-before' });

    const [other] = await invokeTimes(faults, 'shop.api', 1);

    expect(other?.ok).toBe(true);
    expect(inner.ran.get('shop.api')).toBe(1);
  });

  it('fails about the given share of invocations, and the same ones for the same seed', async () => {
    const first = setup(42);
    const second = setup(42);
    first.faults.inject('shop.worker', { mode: 'fail-before', rate: 0.3 });
    second.faults.inject('shop.worker', { mode: 'fail-before', rate: 0.3 });

    const a = (await invokeTimes(first.faults, 'shop.worker', 400)).map((r) => r.ok);
    const b = (await invokeTimes(second.faults, 'shop.worker', 400)).map((r) => r.ok);

    expect(a).toEqual(b);
    const failed = a.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThan(80);
    expect(failed).toBeLessThan(160);
    expect(first.inner.ran.get('shop.worker')).toBe(400 - failed);
  });

  it('stops failing once cleared', async () => {
    const { faults } = setup();
    faults.inject('shop.worker', { mode: 'fail-before' }).inject('shop.api', { mode: 'fail-before' });

    faults.clear('shop.worker');
    const [worker] = await invokeTimes(faults, 'shop.worker', 1);
    faults.clear();
    const [api] = await invokeTimes(faults, 'shop.api', 1);

    expect(worker?.ok).toBe(true);
    expect(api?.ok).toBe(true);
    expect(faults.ruleOf('shop.api')).toBeUndefined();
  });

  it('ends hanging invocations with LambdaRuntimeStoppedError when stopped', async () => {
    const { faults } = setup();
    faults.inject('shop.worker', { mode: 'hang' });
    const pending = faults.invoke('shop.worker', {});

    faults.stop();

    await expect(pending).rejects.toBeInstanceOf(LambdaRuntimeStoppedError);
  });

  it('rejects a rate outside 0..1 and an unknown mode', () => {
    const { faults } = setup();

    expect(() => faults.inject('shop.worker', { mode: 'fail-before', rate: 1.5 })).toThrow(
      "Fault rate of 'shop.worker' must be from 0 to 1; got 1.5",
    );
    expect(() => faults.inject('shop.worker', { mode: 'explode' as 'hang' })).toThrow(
      /Fault mode must be one of/,
    );
  });
});
