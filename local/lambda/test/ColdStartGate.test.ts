import { describe, expect, it } from 'vitest';
import { ColdStartGate, FunctionPool } from '../FunctionPool';
import type { FunctionWorker, WorkerOutcome } from '../FunctionWorker';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stand-in worker: `initMs` to initialise, `runMs` per invocation; records init overlap. */
function fakeWorkers(initMs: number, runMs: number) {
  let initialising = 0;
  let peakInitialising = 0;
  let created = 0;
  const create = (): FunctionWorker => {
    created++;
    initialising++;
    peakInitialising = Math.max(peakInitialising, initialising);
    const ready = tick(initMs).then(() => {
      initialising--;
    });
    return {
      usable: true,
      initialized: () => ready,
      invoke: async () => {
        await tick(runMs);
        return { ok: true, payload: null, durationMs: runMs, coldStart: false } as WorkerOutcome;
      },
      terminate: async () => undefined,
    } as unknown as FunctionWorker;
  };
  return { create, stats: () => ({ created, peakInitialising }) };
}

describe('ColdStartGate', () => {
  it('runs at most its capacity of inits at once, and every one of them', async () => {
    const gate = new ColdStartGate(2);
    let running = 0;
    let peak = 0;

    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        gate.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick(10);
          running--;
          return i;
        }),
      ),
    );

    expect(peak).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('frees the slot when an init fails', async () => {
    const gate = new ColdStartGate(1);

    await expect(gate.run(async () => Promise.reject(new Error('init failed')))).rejects.toThrow(
      'init failed',
    );

    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a capacity below one', () => {
    expect(() => new ColdStartGate(0)).toThrow(/positive integer/);
  });
});

describe('FunctionPool with a cold-start gate', () => {
  it('never initialises more workers at once than the gate allows, yet serves a burst', async () => {
    const workers = fakeWorkers(30, 5);
    const pool = new FunctionPool({
      functionId: 'q.fn',
      maxSize: 8,
      createWorker: workers.create,
      gate: new ColdStartGate(2),
    });

    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () => pool.run((worker) => worker.invoke('id', 'null'))),
    );

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(workers.stats().peakInitialising).toBeLessThanOrEqual(2);
    expect(workers.stats().created).toBeLessThanOrEqual(8);
  });

  it('lets a released warm worker serve the queue before a new one is ready', async () => {
    const workers = fakeWorkers(200, 5);
    const pool = new FunctionPool({
      functionId: 'q.fn',
      maxSize: 8,
      createWorker: workers.create,
      gate: new ColdStartGate(1),
    });
    await pool.run((worker) => worker.invoke('warm', 'null'));

    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => pool.run((worker) => worker.invoke('id', 'null'))));

    // Five short invocations on the one warm worker finish long before a second 200 ms init would.
    expect(Date.now() - started).toBeLessThan(150);
  });
});
