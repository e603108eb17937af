import { describe, expect, it } from 'vitest';
import { ObservedInvoker } from '../ObservedInvoker';
import { FakeInvoker } from './FakeInvoker';

describe('ObservedInvoker', () => {
  it('tells its settled listener about each invocation once it has ended, failed ones included', async () => {
    const order: string[] = [];
    const inner = new FakeInvoker({
      'orders.api': () => {
        order.push('ran orders.api');
        return { statusCode: 200 };
      },
      'catalog.api': () => {
        throw new Error('boom');
      },
    });
    const observed = new ObservedInvoker(
      inner,
      (id) => order.push(`starting ${id}`),
      (id) => order.push(`ended ${id}`),
    );

    const ok = await observed.invoke('orders.api', {});
    const failed = await observed.invoke('catalog.api', {});

    expect(ok.ok).toBe(true);
    expect(failed.ok).toBe(false);
    expect(order).toEqual([
      'starting orders.api',
      'ran orders.api',
      'ended orders.api',
      'starting catalog.api',
      'ended catalog.api',
    ]);
    expect(observed.counts()).toEqual(
      new Map([
        ['orders.api', 1],
        ['catalog.api', 1],
      ]),
    );
  });
});
