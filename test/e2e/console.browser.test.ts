import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterQueueState } from '../../local/console';
import { launchChromium } from './support/chromium';
import { CARDS, createProduct, getOrder, placeOrderRetrying } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';
import { waitFor } from './support/waitFor';

/**
 * The developer console in headless Chromium, driven by the accessible names its README lists as
 * its contract: an order's trace shows its steps in orders, catalog and payments; a dead-lettered
 * message is redriven with the "Redrive" button. A screenshot of each tab lands in
 * test-artifacts/console/.
 */
const root = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.join(root, 'test-artifacts', 'console');

let target: E2eTarget;
let browser: Browser;
let page: Page;
let api: HttpClient;
let consoleUrl: string;
let admin: string;
let customer: string;
let productId: string;
let orderId: string;

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Opens a tab and returns its panel (the tabs' filters share labels, so each is found in its panel). */
async function openTab(name: string): Promise<Locator> {
  await page.getByRole('tab', { name }).click();
  await expect.poll(() => page.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
  return page.getByRole('tabpanel', { name });
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  [target, browser] = await Promise.all([
    startE2eTarget({ cloud: { console: { port: 0 }, queueVisibilityTimeoutSeconds: 2 } }),
    launchChromium(),
  ]);
  const url = target.cloud?.urls.console;
  if (url === undefined) throw new Error('the local cloud started without its console');
  consoleUrl = url;
  api = new HttpClient(target.httpUrl);
  const minter = await tokenMinter(target);
  admin = minter.mint({ roles: ['customer', 'admin'] }).token;
  customer = minter.mint().token;
  productId = (await createProduct(api, admin, { name: 'Desk lamp', priceCents: 2500, stock: 5 })).productId;
  const placed = await placeOrderRetrying(api, customer, {
    items: [{ productId, quantity: 1 }],
    card: CARDS.authorizes,
  });
  expect(placed.response.status).toBe(202);
  orderId = placed.response.body.orderId;
  await waitFor(
    'the order to be confirmed',
    async () => ((await getOrder(api, customer, orderId)).status === 'CONFIRMED' ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

describe('the developer console in a browser', () => {
  it('shows the trace an order links to, with its steps in orders, catalog and payments', async () => {
    await page.goto(`${consoleUrl}/#/trace/${orderId}`);

    const steps = page.getByRole('list', { name: 'Steps' });
    await expect.poll(() => steps.textContent(), { timeout: 20_000 }).toContain('OrderConfirmed');
    const text = (await steps.textContent()) ?? '';
    for (const quantum of ['orders', 'catalog', 'payments']) {
      await expect.poll(() => steps.locator(`li[data-quantum="${quantum}"]`).count()).toBeGreaterThan(0);
    }
    expect(text).toContain('POST /orders');
    expect(text).toContain('facade GetProducts');
    expect(text).toContain('ReserveStock');
    expect(text).toContain('AuthorizePayment');
    expect(await page.getByRole('tab', { name: 'Traces' }).getAttribute('aria-selected')).toBe('true');
    await screenshot('traces');
  });

  it('draws the architecture, lists the activity and the logs, each filterable by its labels', async () => {
    await openTab('Architecture');
    await expect.poll(() => page.locator('svg [data-function="orders.api"]').count()).toBe(1);
    await screenshot('architecture');

    const activityPanel = await openTab('Activity');
    await activityPanel.getByLabel('Filter').fill(orderId);
    const activity = activityPanel.getByRole('table', { name: 'Activity' });
    await expect.poll(() => activity.textContent()).toContain('POST /orders');
    await activityPanel.getByLabel('Kind').selectOption('event');
    await expect.poll(() => activity.textContent()).toContain('OrderConfirmed');
    await screenshot('activity');

    const logs = await openTab('Logs');
    await logs.getByLabel('Quantum').selectOption('orders');
    await expect
      .poll(() => logs.getByLabel('Log lines').textContent(), { timeout: 10_000 })
      .toContain('[orders.');
    await screenshot('logs');
  });

  it('redrives a dead-lettered message with the Redrive button, and the order sees its effect', async () => {
    const dlq = `${target.registry?.prefix}-orders-product-renamed-dlq`;
    target.cloud?.faults.inject('orders.productRenamed', { mode: 'fail-before' });
    const renamed = await api.call('PATCH', `/catalog/products/${productId}`, {
      token: admin,
      body: { name: 'Reading lamp' },
    });
    expect(renamed.status).toBe(200);
    await waitFor(
      'ProductRenamed to be dead-lettered',
      async () => {
        const state = (await (
          await fetch(`${consoleUrl}/api/dead-letters/${dlq}`)
        ).json()) as DeadLetterQueueState;
        return state.depth === 1 && state.messages[0]?.inFlight === false ? true : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    target.cloud?.faults.clear('orders.productRenamed');

    const deadLetters = await openTab('Dead letters');
    const queue = deadLetters.getByRole('region', { name: dlq });
    await expect.poll(() => queue.textContent()).toContain('1 message');
    await expect.poll(() => queue.textContent()).toContain('ProductRenamed');
    await screenshot('dead-letters');
    await queue.getByRole('button', { name: 'Redrive' }).click();

    await expect
      .poll(() => deadLetters.getByRole('status').textContent())
      .toContain(`Moved 1 message from ${dlq}`);
    await expect.poll(() => queue.textContent()).toContain('0 messages');
    await waitFor(
      'the order to show the new name',
      async () =>
        (await getOrder(api, customer, orderId)).items[0]?.name === 'Reading lamp' ? true : undefined,
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    await screenshot('dead-letters-redriven');
  });
});
