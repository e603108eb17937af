import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClientBuilds } from '../WebClientBuilds';
import { type WebClientConfig, WebClientServer } from '../WebClientServer';

const site = mkdtempSync(path.join(tmpdir(), 'quanta-web-site-'));
const config: WebClientConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  webSocketUrl: 'ws://127.0.0.1:3001',
  consoleUrl: 'http://127.0.0.1:3004',
};
let server: WebClientServer;
let url: string;
let configure: (value: WebClientConfig) => void = () => undefined;

beforeAll(async () => {
  mkdirSync(path.join(site, 'assets'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Quanta</title>');
  writeFileSync(path.join(site, 'assets', 'index-abc123.js'), 'console.log(1);');
  writeFileSync(path.join(site, '.bundle.json'), '{}');
  server = new WebClientServer({
    site: Promise.resolve({ dir: site }),
    config: new Promise<WebClientConfig>((resolve) => {
      configure = resolve;
    }),
    port: 0,
  });
  ({ url } = await server.start());
});
afterAll(async () => {
  await server.stop();
  rmSync(site, { recursive: true, force: true });
});

describe('WebClientServer', () => {
  it('holds requests until the configuration is known, then serves config.json uncached', async () => {
    const pending = fetch(`${url}/config.json`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    configure(config);

    const response = await pending;

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(config);
  });

  it("sends the CloudFront policy's security headers, with the API and WebSocket in connect-src", async () => {
    const response = await fetch(`${url}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain(
      "connect-src 'self' http://127.0.0.1:3000 ws://127.0.0.1:3001",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });

  it('answers a page path with index.html (SPA fallback) and caches hashed assets for a year', async () => {
    const page = await fetch(`${url}/chat/room-1?name=x`);
    const asset = await fetch(`${url}/assets/index-abc123.js`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Quanta</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1);');
  });

  it('answers 404 for a missing asset, never serves dotfiles or files outside the site, and only GET/HEAD', async () => {
    const missing = await fetch(`${url}/assets/nope.js`);
    const dotfile = await fetch(`${url}/.bundle.json`);
    const escaped = await fetch(`${url}/%2e%2e/%2e%2e/etc/passwd`);
    const post = await fetch(`${url}/`, { method: 'POST', body: 'x' });

    expect(missing.status).toBe(404);
    expect(await dotfile.text()).toContain('<title>Quanta</title>');
    expect(await escaped.text()).toContain('<title>Quanta</title>');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 503 with the reason while a failed build is all there is', async () => {
    const failed = new WebClientServer({ site: Promise.reject(new Error('vite says no')), config, port: 0 });
    const { url: failedUrl } = await failed.start();

    const response = await fetch(`${failedUrl}/`);

    expect(response.status).toBe(503);
    expect(await response.text()).toContain('vite says no');
    await failed.stop();
  });
});

describe('WebClientBuilds', () => {
  it('builds with Vite once, then finds the same build without running Vite while the sources are unchanged', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'quanta-web-cache-'));
    const builds = new WebClientBuilds({ dir: cacheDir });

    expect(await builds.lookup()).toBeUndefined();
    const built = await builds.build();
    const found = await builds.lookup();

    expect(built.cached).toBe(false);
    expect(Object.keys(built.files)).toContain('index.html');
    expect(Object.keys(built.files).some((file) => /^assets\/index-[\w-]+\.js$/.test(file))).toBe(true);
    expect(found?.cached).toBe(true);
    expect(found?.dir).toBe(built.dir);
    expect(found?.files).toEqual(built.files);
    await built.release();
    await found?.release();
    rmSync(cacheDir, { recursive: true, force: true });
  }, 60_000);
});
