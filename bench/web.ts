import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { findFreePort } from '../local/dynamodb';
import { WebClientBuilds } from '../local/web';
import { launchChromium } from '../test/e2e/support/chromium';
import { startLocalCloudProcess } from './httpLatency';
import { emit } from './lib/emit';
import { percentile, round } from './lib/percentile';

/** Products on the shop's first page, as a real shop would show. */
const PRODUCTS = 12;

/**
 * The web client's numbers:
 * - web_client_initial_js: the JavaScript a first visit loads before the app runs (the entry script
 *   and every chunk index.html preloads), raw and gzip (target ≤ 150 KB gzip), and the CSS beside it.
 * - web_client_shop_tti: time to interactive of the shop in headless Chromium, from navigation start
 *   to the first product shown with its "Buy" button enabled (config.json and the product list read
 *   from the API on another origin, CORS preflight included), each visit in a fresh browser context
 *   (nothing cached), median and p90 of `samples`, against `npm start` in a child process.
 *
 * @example
 * ```ts
 * await webClient({ root, samples: 10 });
 * ```
 */
export async function webClient(options: { root: string; samples: number }): Promise<void> {
  const builds = new WebClientBuilds({
    dir: path.join(options.root, 'node_modules', '.cache', 'quanta-web-client'),
  });
  const site = (await builds.lookup()) ?? (await builds.build());
  try {
    const html = readFileSync(path.join(site.dir, 'index.html'), 'utf8');
    const initial = [
      ...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/([^"]+)"/g),
    ].map((m) => m[1] as string);
    const css = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\/([^"]+)"/g)].map((m) => m[1] as string);
    const sizes = (files: readonly string[]) =>
      files.reduce(
        (sum, file) => {
          const content = readFileSync(path.join(site.dir, file));
          return { raw: sum.raw + content.length, gzip: sum.gzip + gzipSync(content).length };
        },
        { raw: 0, gzip: 0 },
      );
    const js = sizes(initial);
    emit({
      bench: 'web_client_initial_js',
      files: initial.length,
      raw_kb: round(js.raw / 1024, 1),
      gzip_kb: round(js.gzip / 1024, 1),
      target_gzip_kb: 150,
      css_gzip_kb: round(sizes(css).gzip / 1024, 1),
    });
  } finally {
    await site.release();
  }

  const webPort = await findFreePort();
  const { server, url } = await startLocalCloudProcess(options.root, ['--web-port', String(webPort)]);
  const webUrl = `http://127.0.0.1:${webPort}`;
  const browser = await launchChromium();
  try {
    const admin = await adminToken(url);
    for (let i = 0; i < PRODUCTS; i++) await createProduct(url, admin, i);
    const samples: number[] = [];
    // The first visit waits for a build of changed sources and warms the API's functions: not counted.
    for (let i = 0; i <= options.samples; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Stamps the moment the first product's "Buy" button exists and is enabled (page code, as text:
      // this module is type-checked for Node, without the DOM).
      await page.addInitScript({
        content: `new MutationObserver((_, observer) => {
          const button = document.querySelector('.product button');
          if (button === null || button.disabled) return;
          window.__interactiveAt = performance.now();
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true, attributes: true });`,
      });
      await page.goto(webUrl, { timeout: 120_000 });
      // A function, not a string: the page's CSP (rightly) refuses eval.
      const at = await page.waitForFunction(
        () => (globalThis as { __interactiveAt?: number }).__interactiveAt,
        undefined,
        { timeout: 120_000 },
      );
      if (i > 0) samples.push(Number(await at.jsonValue()));
      await context.close();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    emit({
      bench: 'web_client_shop_tti',
      samples: sorted.length,
      p50_ms: round(percentile(sorted, 50), 0),
      p90_ms: round(percentile(sorted, 90), 0),
      min_ms: round(sorted[0] ?? Number.NaN, 0),
      products: PRODUCTS,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function adminToken(url: string): Promise<string> {
  const body = { email: 'admin@quanta.local', password: 'bench admin password', displayName: 'Admin' };
  const post = (route: string, payload: unknown) =>
    fetch(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
  await post('/identity/signup', body);
  const login = await post('/identity/login', { email: body.email, password: body.password });
  if (login.status !== 200) throw new Error(`admin login answered ${login.status}`);
  return String(((await login.json()) as { accessToken: string }).accessToken);
}

async function createProduct(url: string, token: string, i: number): Promise<void> {
  const response = await fetch(`${url}/catalog/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: `Bench product ${i + 1}`,
      description: 'A product of the web bench',
      priceCents: 1000 + i,
      currency: 'EUR',
      stock: 100,
    }),
  });
  if (response.status !== 201) throw new Error(`POST /catalog/products answered ${response.status}`);
}
