import { describe, expect, it } from 'vitest';
import { FunctionPool, WorkerBudget } from '../FunctionPool';
import type { FunctionWorker, WorkerOutcome } from '../FunctionWorker';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stand-in workers that run each invocation for `runMs` and record which were terminated. */
function fakeWorkers(runMs: number) {
  const terminated = new Set<number>();
  let created = 0;
  const create = (): FunctionWorker => {
    const id = ++created;
    let alive = true;
    return {
      get usable() {
        return alive;
      },
      initialized: async () => undefined,
      invoke: async () => {
        await tick(runMs);
        return { ok: true, payload: id, durationMs: runMs, coldStart: false } as WorkerOutcome;
      },
      terminate: async () => {
        alive = false;
        terminated.add(id);
      },
    } as unknown as FunctionWorker;
  };
  return { create, terminated, created: () => created };
}

const invoke = (pool: FunctionPool) => pool.run((worker) => worker.invoke('id', 'null'));

describe('FunctionPool', () => {
  it('never runs more workers than its size and queues the rest instead of throttling', async () => {
    // Arrange
    const workers = fakeWorkers(20);
    const pool = new FunctionPool({ functionId: 'q.fn', maxSize: 2, createWorker: workers.create });

    // Act
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => invoke(pool)));

    // Assert
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(workers.created()).toBe(2);
    expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0, started: 2 });
  });

  it('retires workers that stayed idle for the idle timeout, and cold-starts on the next invocation', async () => {
    // Arrange
    const workers = fakeWorkers(5);
    const pool = new FunctionPool({
      functionId: 'q.fn',
      maxSize: 2,
      createWorker: workers.create,
      idleTimeoutMs: 50,
    });
    await Promise.all([invoke(pool), invoke(pool)]);

    // Act
    await tick(120);
    const after = pool.stats();
    await invoke(pool);

    // Assert
    expect(after).toMatchObject({ workers: 0, retired: 2 });
    expect([...workers.terminated].sort()).toEqual([1, 2]);
    expect(pool.stats()).toMatchObject({ workers: 1, started: 3 });
  });

  it('keeps a worker that is used more often than the idle timeout and retires the unused one first', async () => {
    // Arrange: two workers, then only one kept busy
    const workers = fakeWorkers(5);
    const pool = new FunctionPool({
      functionId: 'q.fn',
      maxSize: 2,
      createWorker: workers.create,
      idleTimeoutMs: 150,
    });
    await Promise.all([invoke(pool), invoke(pool)]);

    // Act: the most recently used worker serves every invocation; the other idles past 150 ms
    for (let i = 0; i < 20; i++) {
      await invoke(pool);
      await tick(10);
    }

    // Assert
    expect(pool.stats()).toMatchObject({ workers: 1, retired: 1 });
    expect(workers.terminated.size).toBe(1);
  });

  it('retires nothing without an idle timeout', async () => {
    // Arrange
    const workers = fakeWorkers(5);
    const pool = new FunctionPool({ functionId: 'q.fn', maxSize: 2, createWorker: workers.create });
    await Promise.all([invoke(pool), invoke(pool)]);

    // Act
    await tick(60);

    // Assert
    expect(pool.stats()).toMatchObject({ workers: 2, retired: 0 });
  });

  it('refuses a size below one and an idle timeout that is not positive', () => {
    const createWorker = fakeWorkers(1).create;

    expect(() => new FunctionPool({ functionId: 'q.fn', maxSize: 0, createWorker })).toThrow(
      /positive integer size, got 0/,
    );
    expect(
      () => new FunctionPool({ functionId: 'q.fn', maxSize: 1, createWorker, idleTimeoutMs: 0 }),
    ).toThrow(/positive idle timeout, got 0/);
  });
});

describe('WorkerBudget', () => {
  it('over budget, retires workers idle for the pressure time, least recently used first, across pools', async () => {
    // Arrange: three pools with an hour-long idle timeout, sharing a budget of 2 live workers
    const budget = new WorkerBudget({ capacity: 2, pressureIdleMs: 40 });
    const made = { a: fakeWorkers(5), b: fakeWorkers(5), c: fakeWorkers(5) };
    const poolOf = (id: keyof typeof made) =>
      new FunctionPool({
        functionId: `q.${id}`,
        maxSize: 2,
        createWorker: made[id].create,
        budget,
        idleTimeoutMs: 3_600_000,
      });
    const a = poolOf('a');
    const b = poolOf('b');
    const c = poolOf('c');
    await invoke(a);
    await tick(10);
    await invoke(b);
    await tick(10);
    await invoke(c);

    // Act: past the pressure time, then a fresh invocation of c
    await tick(100);
    const settled = [a.stats().workers, b.stats().workers, c.stats().workers];

    // Assert: only a's worker (the least recently used) went: two live workers are within the budget
    expect(settled).toEqual([0, 1, 1]);
    expect(budget.liveWorkers()).toBe(2);
    expect([made.a.terminated.size, made.b.terminated.size, made.c.terminated.size]).toEqual([1, 0, 0]);
  });

  it('never retires a busy worker nor holds back a new one: it bounds idle workers, not concurrency', async () => {
    // Arrange
    const budget = new WorkerBudget({ capacity: 1, pressureIdleMs: 0 });
    const workers = fakeWorkers(50);
    const pool = new FunctionPool({ functionId: 'q.fn', maxSize: 3, createWorker: workers.create, budget });

    // Act
    const running = Promise.all([invoke(pool), invoke(pool), invoke(pool)]);
    await tick(20);
    const during = pool.stats();
    await running;
    await tick(10);

    // Assert: three ran at once over a budget of one; once idle, all but one were retired
    expect(during).toMatchObject({ workers: 3, busy: 3 });
    expect(budget.liveWorkers()).toBe(1);
    expect(workers.terminated.size).toBe(2);
  });

  it('within budget, keeps idle workers until their own idle timeout', async () => {
    // Arrange
    const budget = new WorkerBudget({ capacity: 4, pressureIdleMs: 0 });
    const workers = fakeWorkers(5);
    const pool = new FunctionPool({ functionId: 'q.fn', maxSize: 2, createWorker: workers.create, budget });
    await Promise.all([invoke(pool), invoke(pool)]);

    // Act
    await tick(30);

    // Assert
    expect(pool.stats()).toMatchObject({ workers: 2, retired: 0 });
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new WorkerBudget({ capacity: 0 })).toThrow(/positive integer, got 0/);
  });
});
