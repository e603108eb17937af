import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { WebClientConfig } from '../../local/web';
import { type RunningWebClient, startWebClient, WebClientBuilds } from '../../local/web';
import { connectAs } from './support/chatClient';
import { launchChromium } from './support/chromium';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { signUpAndLogIn } from './support/users';

/**
 * The web client in headless Chromium against a local cloud, as a person uses it: every step goes
 * through the page's labelled inputs and buttons (the accessible names of issue 10), on another
 * origin than the API, so CORS is exercised as in AWS. Screenshots of each page land in
 * test-artifacts/web-client/.
 */
const root = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.join(root, 'test-artifacts', 'web-client');
const PASSWORD = 'correct horse battery staple';
/** The admin the local registry grants at signup (`quanta:adminEmails`' default). */
const ADMIN_EMAIL = 'admin@quanta.local';
/** Any href works: the test only checks each order links to its trace there. */
const CONSOLE_URL = 'http://127.0.0.1:3004';

let web: RunningWebClient;
let target: E2eTarget;
let api: HttpClient;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The web server binds first (a free port), so the cloud's CORS can allow exactly its origin.
  let configure: (config: WebClientConfig) => void = () => undefined;
  const config = new Promise<WebClientConfig>((resolve) => {
    configure = resolve;
  });
  const builds = new WebClientBuilds({ dir: path.join(root, 'node_modules', '.cache', 'quanta-web-client') });
  [web, browser] = await Promise.all([
    startWebClient({ builds, port: 0, config, log: () => undefined }),
    launchChromium(),
  ]);
  target = await startE2eTarget({ authorizerCacheTtlSeconds: 1, corsOrigins: [web.url] });
  const webSocketUrl = target.cloud?.urls.webSocket;
  if (webSocketUrl === undefined) throw new Error('The browser tests need the local cloud');
  configure({ apiUrl: target.httpUrl, webSocketUrl, consoleUrl: CONSOLE_URL });
  await web.site;
  api = new HttpClient(target.httpUrl);
  const signup = await api.call('POST', '/identity/signup', {
    body: { email: ADMIN_EMAIL, password: PASSWORD, displayName: 'Admin' },
  });
  expect(signup.status).toBe(201);
  const login = await api.call<{ accessToken: string }>('POST', '/identity/login', {
    body: { email: ADMIN_EMAIL, password: PASSWORD },
  });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  adminToken = login.body.accessToken;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await target?.stop();
  console.log(`Web client screenshots: ${SCREENSHOTS}`);
});

/** A new browser context with its own storage, failing the test on any script error of the page. */
async function newPage(
  context?: BrowserContext,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1100, height: 800 } }));
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `failed-${Date.now()}`);
    console.error(`Local cloud reports:\n${target.reports.slice(-20).join('\n')}`);
  });
  return { context: ctx, page, errors };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

function uniqueEmail(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;
}

async function signUp(page: Page, email: string, displayName: string): Promise<void> {
  await page.goto(`${web.url}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
}

async function logIn(page: Page, email: string): Promise<void> {
  if (!page.url().includes('/login')) await page.goto(`${web.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

async function createProduct(name: string, stock = 20): Promise<void> {
  const created = await api.call('POST', '/catalog/products', {
    token: adminToken,
    body: { name, description: 'A product of the browser test', priceCents: 1999, currency: 'EUR', stock },
  });
  expect(created.status).toBe(201);
}

/** Opens the shop, finds `product` and buys one with `card`; leaves the page on "My orders". */
async function buy(page: Page, product: string, card: string): Promise<void> {
  await page.getByRole('link', { name: 'Products' }).click();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: product }) });
  await item.getByRole('button', { name: 'Buy' }).click();
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('heading', { name: 'My orders' }).waitFor();
}

describe('the web client in a real browser', () => {
  it('signs up, logs in, buys a product and sees CONFIRMED arrive without a reload or a poll', async () => {
    const product = `Desk lamp ${Math.random().toString(36).slice(2, 6)}`;
    await createProduct(product);
    const { context, page, errors } = await newPage();
    const email = uniqueEmail('buyer');

    await signUp(page, email, 'Buyer');
    await screenshot(page, 'signup-done-login');
    await logIn(page, email);
    await page.getByRole('heading', { name: product }).waitFor();
    await screenshot(page, 'shop');
    const listReads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/orders')
        listReads.push(request.url());
    });
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    await page.getByRole('link', { name: 'Products' }).click();
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: product }) });
    await item.getByRole('button', { name: 'Buy' }).click();
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await screenshot(page, 'product-checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    const order = page.getByRole('listitem').filter({ hasText: product });

    // The saga's first run cold-starts five functions; on a loaded 2-core machine that takes a while.
    await expect.poll(() => order.locator('.status').textContent(), { timeout: 45_000 }).toBe('CONFIRMED');
    await screenshot(page, 'orders');
    expect(loads).toEqual([]);
    expect(listReads).toHaveLength(1);
    const orderId = await order.getAttribute('data-order-id');
    expect(await order.getByRole('link', { name: 'Trace' }).getAttribute('href')).toBe(
      `${CONSOLE_URL}/#/trace/${orderId}`,
    );
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    expect(await page.getByRole('link', { name: 'My orders' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows a declined card as CANCELLED with its reason, in words, and a bad login without JSON', async () => {
    const product = `Tea pot ${Math.random().toString(36).slice(2, 6)}`;
    await createProduct(product);
    const { context, page, errors } = await newPage();
    const email = uniqueEmail('declined');
    await signUp(page, email, 'Declined');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    // A wrong password costs a full scrypt (as an unknown e-mail does): seconds on a busy machine.
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 })
      .toBe('That e-mail and password do not match an account.');
    await logIn(page, email);

    await buy(page, product, '4000000000000002');
    const order = page.getByRole('listitem').filter({ hasText: product });

    await expect.poll(() => order.locator('.status').textContent(), { timeout: 45_000 }).toBe('CANCELLED');
    expect(await order.locator('.reason').textContent()).toContain('PAYMENT_DECLINED');
    expect(await order.locator('.reason').textContent()).toContain('the card was declined');
    await screenshot(page, 'orders-cancelled');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('lets two browsers chat live, and a reconnect loses nothing in either direction', async () => {
    const alice = await newPage();
    const bob = await newPage();
    // Bob's WebSockets go through a switch: dropped and refused at will, like a network outage.
    let outage = false;
    const bobSockets: WebSocketRoute[] = [];
    await bob.context.routeWebSocket(/ticket=/, (socket) => {
      if (outage) {
        void socket.close({ code: 1006, reason: 'network down' });
        return;
      }
      socket.connectToServer();
      bobSockets.push(socket);
    });
    const aliceEmail = uniqueEmail('alice');
    const bobEmail = uniqueEmail('bob');
    await signUp(alice.page, aliceEmail, 'Alice');
    await logIn(alice.page, aliceEmail);
    await signUp(bob.page, bobEmail, 'Bob');
    await logIn(bob.page, bobEmail);
    const room = `Room ${Math.random().toString(36).slice(2, 6)}`;
    await alice.page.getByRole('link', { name: 'Chat' }).click();
    await alice.page.getByLabel('Room name').fill(room);
    await screenshot(alice.page, 'chat-rooms');
    await alice.page.getByRole('button', { name: 'Create room' }).click();
    await alice.page.getByRole('heading', { name: room }).waitFor();
    await bob.page.getByRole('link', { name: 'Chat' }).click();
    await bob.page.getByRole('link', { name: room }).click();
    await bob.page.getByRole('heading', { name: room }).waitFor();
    const say = async (who: { page: Page }, text: string): Promise<void> => {
      await who.page.getByLabel('Message').fill(text);
      await who.page.getByRole('button', { name: 'Send' }).click();
    };
    const log = (who: { page: Page }) => who.page.getByRole('log', { name: 'Conversation' });
    const lines = (who: { page: Page }) => log(who).locator('li').allTextContents();
    const texts = async (who: { page: Page }) =>
      (await log(who).locator('.text').allTextContents()).join('|');
    await expect.poll(() => bob.page.getByText('Connected.').count(), { timeout: 10_000 }).toBe(1);

    await say(alice, 'hello Bob');
    await log(bob).getByText('hello Bob').waitFor();
    await say(bob, 'hi Alice');
    await log(alice).getByText('hi Alice').waitFor();

    outage = true;
    for (const socket of bobSockets.splice(0)) await socket.close({ code: 1006, reason: 'network down' });
    await bob.page.getByText('Reconnecting…').waitFor();
    await say(alice, 'while you were away 1');
    await say(alice, 'while you were away 2');
    await say(bob, 'typed while offline');
    await expect
      .poll(() => texts(alice))
      .toBe('hello Bob|hi Alice|while you were away 1|while you were away 2');
    outage = false;

    const all = 'hello Bob|hi Alice|while you were away 1|while you were away 2|typed while offline';
    await expect.poll(() => texts(bob), { timeout: 20_000 }).toBe(all);
    await expect.poll(() => texts(alice), { timeout: 10_000 }).toBe(all);
    await screenshot(bob.page, 'chat-room');
    const seqs = await Promise.all(
      (await log(bob).locator('li').all()).map((item) => item.getAttribute('data-seq')),
    );
    expect(seqs).toEqual(['1', '2', '3', '4', '5']);
    expect(await lines(alice)).toHaveLength(5);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
    await alice.context.close();
    await bob.context.close();
  }, 90_000);

  it('opens a room on its newest messages and reads older ones when the person scrolls up', async () => {
    const writer = await signUpAndLogIn(api, 'historian');
    const created = await api.call<{ roomId: string }>('POST', '/chat/rooms', {
      token: writer.tokens.accessToken,
      body: { name: 'History' },
    });
    expect(created.status).toBe(201);
    const { roomId } = created.body;
    const socket = await connectAs(api, writer);
    await socket.join(roomId);
    // 60 messages within the rate limit (bursts of 20, 10/s): more than the 50 a room opens with.
    for (let n = 1; n <= 60; n++) {
      socket.send({ action: 'send', roomId, text: `line ${n}`, clientMessageId: `history-${n}` });
      if (n % 15 === 0) {
        await socket.next('ack', (frame) => frame.clientMessageId === `history-${n}`);
        await new Promise((resolve) => setTimeout(resolve, 1600));
      }
    }
    await socket.close();
    const { context, page, errors } = await newPage();
    await logIn(page, writer.email);

    await page.goto(`${web.url}/chat/${roomId}?name=History`);
    const log = page.getByRole('log', { name: 'Conversation' });
    const seqs = async () =>
      Promise.all((await log.locator('li').all()).map((item) => item.getAttribute('data-seq')));
    // chat's functions last ran seconds ago: past the worker budget (D64) they cold-start, as on Lambda.
    await expect.poll(async () => (await seqs()).length, { timeout: 10_000 }).toBe(50);
    expect((await seqs())[0]).toBe('11');
    await log.hover();
    await page.mouse.wheel(0, -20_000);

    await expect.poll(async () => (await seqs()).length, { timeout: 10_000 }).toBe(60);
    expect(await seqs()).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('lets an admin create a product that then appears in the shop', async () => {
    const { context, page, errors } = await newPage();
    const product = `Reading chair ${Math.random().toString(36).slice(2, 6)}`;
    await logIn(page, ADMIN_EMAIL);

    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByLabel('Product name').fill(product);
    await page.getByLabel('Price').first().fill('149.90');
    await page.getByLabel('Stock').fill('3');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByText(`Created ${product}.`).waitFor();
    await screenshot(page, 'admin');
    await page.getByRole('link', { name: 'Products' }).click();

    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: product }) });
    await item.waitFor();
    expect(await item.textContent()).toContain('3 in stock');
    expect(await item.getByRole('button', { name: 'Buy' }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
