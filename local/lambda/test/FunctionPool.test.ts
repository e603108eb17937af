import { describe, expect, it } from 'vitest';
import { FunctionPool } from '../FunctionPool';
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
