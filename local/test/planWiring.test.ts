import { parseRegistry, plan } from '@quanta/runtime/manifest';
import { describe, expect, it } from 'vitest';
import { manifests } from '../../quanta/manifests';
import { streamBindingsOf, tablesWrittenBy } from '../planWiring';

const registry = parseRegistry({
  quanta: Object.fromEntries(Object.keys(manifests).map((name) => [name, {}])),
  'quanta:prefix': 'quanta',
});

describe('tablesWrittenBy', () => {
  const thePlan = plan(manifests, registry);
  const written = tablesWrittenBy(thePlan);

  it('names each function with the one table of its own quantum that it may write', () => {
    expect(written.get('orders.api')).toEqual(['quanta-orders']);
    expect(written.get('orders.replies')).toEqual(['quanta-orders']);
    expect(written.get('catalog.requests')).toEqual(['quanta-catalog']);
    expect(written.get('identity.api')).toEqual(['quanta-identity']);
  });

  it('gives the HTTP authorizer, which only reads the denylist, no table to wake', () => {
    expect(written.get('platform.authorizer')).toEqual([]);
  });

  it('covers every function the plan has, and every table a stream trigger reads is written by someone', () => {
    const ids = thePlan.quanta.flatMap((q) => q.functions.map((fn) => fn.id));
    expect([...written.keys()].sort()).toEqual([...ids].sort());
    const writable = new Set([...written.values()].flat());
    for (const { table } of streamBindingsOf(thePlan)) expect(writable).toContain(table);
  });
});
