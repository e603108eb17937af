import { errorBodySchema } from '@quanta/contracts/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/LocalCloud';
import { CARDS, createProduct, placeOrder, placeOrderRetrying } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';
import { waitFor } from './support/waitFor';

/**
 * When catalog's facade is down or hangs, `POST /orders` answers 503 with a clear error within the
 * facade call's timeout — it never hangs — and works again once catalog is back. Local only (fault
 * injection). The facade timeout is set to 1 s here (deployed default: 2 s); the slack on top covers
 * the rest of the round trip on a loaded 2-core machine, while a hang would take the facade's 29 s.
 */
const FACADE_TIMEOUT_MS = 1000;
let target: E2eTarget;
let cloud: LocalCloud;
let api: HttpClient;
let token: string;
let productId: string;

beforeAll(async () => {
  target = await startE2eTarget({
    environment: {
      orders: { FACADE_TIMEOUT_MS: String(FACADE_TIMEOUT_MS), FACADE_RESET_TIMEOUT_MS: '2000' },
    },
  });
  if (target.cloud === undefined) throw new Error('facadeDown runs on the local cloud only');
  cloud = target.cloud;
  api = new HttpClient(target.httpUrl);
  const minter = await tokenMinter(target);
  productId = (
    await createProduct(api, minter.mint({ roles: ['admin'] }).token, {
      name: 'Mug',
      priceCents: 800,
      stock: 20,
    })
  ).productId;
  token = minter.mint().token;
  // Warm the path once, so the measurements below are not cold starts.
  const warm = await placeOrderRetrying(api, token, {
    items: [{ productId, quantity: 1 }],
    card: CARDS.authorizes,
  });
  expect(warm.response.status).toBe(202);
});
afterAll(async () => {
  await target.stop();
});

async function timedOrder(): Promise<{ status: number; ms: number; code: string | undefined }> {
  const started = Date.now();
  const response = await placeOrder(api, token, {
    items: [{ productId, quantity: 1 }],
    card: CARDS.authorizes,
  });
  const parsed = errorBodySchema.safeParse(response.body);
  return {
    status: response.status,
    ms: Date.now() - started,
    code: parsed.success ? parsed.data.error.code : undefined,
  };
}

describe('orders when catalog’s facade is down', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE within the timeout when the facade hangs', async () => {
    cloud.faults.inject('catalog.facade', { mode: 'hang', rate: 1 });

    const attempts = [];
    for (let i = 0; i < 3; i++) attempts.push(await timedOrder());
    cloud.faults.clear('catalog.facade');

    for (const attempt of attempts) {
      expect(attempt.status).toBe(503);
      expect(attempt.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(attempt.ms).toBeLessThan(FACADE_TIMEOUT_MS + 3000);
    }
  });

  it('answers 503 quickly when the facade fails, and takes orders again once it is back', async () => {
    cloud.faults.inject('catalog.facade', { mode: 'fail-before', rate: 1 });

    const failed = await timedOrder();
    cloud.faults.clear('catalog.facade');
    const recovered = await waitFor(
      'orders to be accepted again',
      async () => {
        const attempt = await timedOrder();
        return attempt.status === 202 ? attempt : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );

    expect(failed.status).toBe(503);
    expect(failed.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(failed.ms).toBeLessThan(FACADE_TIMEOUT_MS + 3000);
    expect(recovered.status).toBe(202);
  });
});
