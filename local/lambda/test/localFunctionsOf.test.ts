import { defineQuantum, parseRegistry } from '@quanta/runtime/manifest';
import { describe, expect, it } from 'vitest';
import { localFunctionsOf } from '../localFunctionsOf';

const registry = parseRegistry({ quanta: { platform: {}, shop: {} } });
const shop = defineQuantum({
  name: 'shop',
  dir: '/repo/quanta/shop',
  table: {},
  functions: {
    api: { entry: 'handlers/api.ts', timeoutSeconds: 5, environment: { FEATURE: 'on' } },
    worker: { entry: 'handlers/worker.ts', memoryMb: 256, reservedConcurrency: 2 },
  },
});

describe('localFunctionsOf', () => {
  it('derives id, absolute entry, name, limits and the standard environment from a manifest', () => {
    const [api, worker] = localFunctionsOf([shop], registry, (manifest, fn) => ({
      TARGET: `${manifest.name}/${fn}`,
    }));

    expect(api).toMatchObject({
      id: 'shop.api',
      entry: '/repo/quanta/shop/handlers/api.ts',
      functionName: 'quanta-shop-api',
      timeoutSeconds: 5,
      memoryMb: 512,
    });
    expect(api?.reservedConcurrency).toBeUndefined();
    expect(api?.environment).toMatchObject({
      QUANTUM: 'shop',
      TABLE_NAME: 'quanta-shop',
      FEATURE: 'on',
      TARGET: 'shop/api',
    });
    expect(worker).toMatchObject({
      id: 'shop.worker',
      timeoutSeconds: 10,
      memoryMb: 256,
      reservedConcurrency: 2,
    });
    expect(worker?.environment?.FEATURE).toBeUndefined();
  });

  it('applies the registry’s overrides last, over the target’s variables, and hands each function its quantum’s credentials', () => {
    const overridden = parseRegistry({
      quanta: { platform: {}, shop: {} },
      'quanta:environment': { shop: { TARGET: 'from-registry', FEATURE: 'off' } },
    });

    const [api] = localFunctionsOf([shop], overridden, () => ({ TARGET: 'from-target' }), {
      credentialsOf: (quantum) => ({ accessKeyId: `LOCAL${quantum.toUpperCase()}`, secretAccessKey: 's' }),
    });

    expect(api?.environment).toMatchObject({ TARGET: 'from-registry', FEATURE: 'off' });
    expect(api?.credentials).toEqual({ accessKeyId: 'LOCALSHOP', secretAccessKey: 's' });
  });
});
