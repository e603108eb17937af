import { afterEach, describe, expect, it } from 'vitest';
import { scheduleInputOf } from '../../../stacks/scheduleInputOf';
import { FakeInvoker } from '../../http/test/FakeInvoker';
import { LocalScheduler } from '../LocalScheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** orders' schedules as the plan names them (`schedulesOf(plan)` in local/planWiring.ts). */
const SCHEDULES = [
  {
    quantum: 'orders',
    id: 'deadline-sweep',
    scheduleName: 'quanta-orders-deadline-sweep',
    functionId: 'orders.sweeper',
    everySeconds: 60,
  },
  {
    quantum: 'orders',
    id: 'audit',
    scheduleName: 'quanta-orders-audit',
    functionId: 'orders.audit',
    everySeconds: 300,
  },
];

describe('LocalScheduler', () => {
  let scheduler: LocalScheduler | undefined;

  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  it('invokes each schedule’s function at the scaled period with the stack’s schedule input', async () => {
    const invoker = new FakeInvoker({ 'orders.sweeper': () => null, 'orders.audit': () => null });
    scheduler = new LocalScheduler({
      schedules: SCHEDULES,
      invoker,
      region: 'eu-west-1',
      accountId: '000000000000',
      everySeconds: 0.1,
    });
    const started = Date.now();

    scheduler.start();
    await sleep(550);

    const events = invoker.eventsOf('orders.sweeper') as ReturnType<typeof scheduleInputOf>[];
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.length).toBeLessThanOrEqual(6);
    expect(invoker.eventsOf('orders.audit').length).toBe(events.length);
    const [first] = events;
    expect(first).toEqual(
      scheduleInputOf('orders', 'deadline-sweep', {
        scheduleArn: 'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/quanta-orders-deadline-sweep',
        scheduledTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        executionId: expect.stringMatching(/^[0-9a-f]{16}$/),
        attemptNumber: '1',
      }),
    );
    expect(Date.parse(first?.scheduledTime ?? '')).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    expect(new Set(events.map((e) => e.executionId)).size).toBe(events.length);
  });

  it('never overlaps two runs of one schedule: a due time that finds a run in flight is skipped', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const invoker = new FakeInvoker({
      'orders.sweeper': async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(250);
        inFlight--;
        return null;
      },
      'orders.audit': () => null,
    });
    scheduler = new LocalScheduler({
      schedules: SCHEDULES,
      invoker,
      region: 'eu-west-1',
      accountId: '000000000000',
      everySeconds: 0.05,
    });

    scheduler.start();
    await sleep(700);

    expect(maxInFlight).toBe(1);
    const stats = scheduler.stats('orders.deadline-sweep');
    expect(stats.runs).toBeGreaterThanOrEqual(2);
    expect(stats.runs).toBeLessThanOrEqual(3);
    expect(stats.skipped).toBeGreaterThan(5);
  });

  it('reports failed runs with their payload and keeps the schedule running', async () => {
    const invoker = new FakeInvoker({
      'orders.sweeper': () => {
        throw new Error('table unavailable');
      },
      'orders.audit': () => null,
    });
    const failures: string[] = [];
    scheduler = new LocalScheduler({
      schedules: SCHEDULES,
      invoker,
      region: 'eu-west-1',
      accountId: '000000000000',
      everySeconds: 0.1,
      onFailure: (f) => {
        failures.push(`${f.payload.scheduleId}: ${f.error.errorMessage}`);
      },
    });

    scheduler.start();
    await sleep(350);

    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toBe('deadline-sweep: table unavailable');
    expect(scheduler.stats('orders.deadline-sweep').failures).toBe(failures.length);
  });

  it('runs nothing once stopped', async () => {
    const invoker = new FakeInvoker({ 'orders.sweeper': () => null, 'orders.audit': () => null });
    scheduler = new LocalScheduler({
      schedules: SCHEDULES,
      invoker,
      region: 'eu-west-1',
      accountId: '000000000000',
      everySeconds: 0.05,
    });

    scheduler.start();
    await scheduler.stop();
    await sleep(150);

    expect(invoker.eventsOf('orders.sweeper')).toEqual([]);
  });

  it('stops at once even while a run hangs, and does not report the run the stop cut short', async () => {
    let release: (() => void) | undefined;
    const failures: string[] = [];
    const invoker = new FakeInvoker({
      'orders.sweeper': () =>
        new Promise((_resolve, reject) => {
          release = () => reject(new Error('runtime stopped'));
        }),
      'orders.audit': () => null,
    });
    scheduler = new LocalScheduler({
      schedules: SCHEDULES,
      invoker,
      region: 'eu-west-1',
      accountId: '000000000000',
      everySeconds: 0.05,
      onFailure: (f) => {
        failures.push(f.error.errorMessage);
      },
    });
    scheduler.start();
    await sleep(120);

    const started = Date.now();
    await scheduler.stop();
    const stoppedInMs = Date.now() - started;
    release?.();
    await sleep(20);

    expect(stoppedInMs).toBeLessThan(100);
    expect(failures).toEqual([]);
  });

  it('rejects a non-positive period', () => {
    expect(
      () =>
        new LocalScheduler({
          schedules: [],
          invoker: new FakeInvoker(),
          region: 'eu-west-1',
          accountId: '000000000000',
          everySeconds: 0,
        }),
    ).toThrow("Local scheduler option 'everySeconds' must be a positive number of seconds, got 0");
  });
});
