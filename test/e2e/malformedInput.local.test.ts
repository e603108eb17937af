import { errorBodySchema } from '@quanta/contracts/http';
import { basePathOf, type RouteDefinition } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifests } from '../../quanta/manifests';
import { CARDS, createProduct, placeOrderRetrying } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import type { CallOptions } from './support/HttpClient';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';

/**
 * Malformed input on every public route of every registered quantum — wrong types, missing fields,
 * unknown fields, oversize bodies, bad JSON, negative numbers, unknown or malformed ids, bad query
 * strings — gets a 4xx with the error body `{ error: { code, message } }`, never a 5xx. The cases
 * are generated from the manifests and a valid sample per route; a route without a sample fails the
 * suite, so a new route cannot skip this.
 */
let target: E2eTarget;
let api: HttpClient;
let tokens: { customer: string; admin: string };
let productId: string;

/** A valid request per route (`METHOD /path`), from which the malformed variants are derived. */
type Sample = { body?: Record<string, unknown>; headers?: Record<string, string>; query?: boolean };
const samples = (): Record<string, Sample> => ({
  'POST /identity/signup': {
    body: { email: 'x@example.com', password: 'long enough password', displayName: 'X' },
  },
  'POST /identity/login': { body: { email: 'x@example.com', password: 'long enough password' } },
  'POST /identity/refresh': { body: { refreshToken: 'r'.repeat(43) } },
  'POST /identity/logout': {},
  'GET /identity/me': {},
  'GET /identity/.well-known/jwks.json': {},
  'POST /realtime/tickets': {},
  'GET /catalog/products': { query: true },
  'GET /catalog/products/{id}': {},
  'POST /catalog/products': {
    body: { name: 'Thing', description: 'd', priceCents: 100, currency: 'EUR', stock: 5 },
  },
  'PATCH /catalog/products/{id}': { body: { name: 'New name', priceCents: 200 } },
  'POST /catalog/products/{id}/restock': { body: { quantity: 5 } },
  'POST /orders': {
    body: { items: [{ productId: 'PRODUCT', quantity: 1 }], card: CARDS.authorizes },
    headers: { 'idempotency-key': 'malformed-input-test-key' },
  },
  'GET /orders': { query: true },
  'GET /orders/{id}': {},
  'POST /orders/{id}/cancel': {},
  'POST /chat/rooms': { body: { name: 'Room' } },
  'GET /chat/rooms': { query: true },
  'GET /chat/rooms/{roomId}/messages': { query: true },
});

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly options: CallOptions;
}

/** Every field of `body` replaced by a value of the wrong type, one at a time. */
function wrongTypes(body: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  return Object.keys(body).map((field) => {
    const value = body[field];
    const wrong = typeof value === 'string' ? 12345 : typeof value === 'number' ? 'twelve' : 'not-an-object';
    return [`${field} of the wrong type`, { ...body, [field]: wrong }];
  });
}

function casesFor(route: RouteDefinition, sample: Sample): Case[] {
  const token =
    route.access === 'public' ? undefined : typeof route.access === 'object' ? tokens.admin : tokens.customer;
  const auth: CallOptions = token === undefined ? {} : { token };
  const headers = sample.headers ?? {};
  const realPath = route.path.replace('{id}', productId);
  const cases: Case[] = [];
  const add = (name: string, path: string, options: CallOptions) =>
    cases.push({ name, method: route.method, path, options: { ...auth, ...options } });

  if (route.path.includes('{id}')) {
    add('an unknown id', route.path.replace('{id}', 'no-such-id-0000'), {
      headers,
      ...(sample.body ? { body: sample.body } : {}),
    });
    add('a malformed id', route.path.replace('{id}', `${'x'.repeat(200)}`), {
      headers,
      ...(sample.body ? { body: sample.body } : {}),
    });
    add('an id with forbidden characters', route.path.replace('{id}', 'bad%20id%3B'), {
      headers,
      ...(sample.body ? { body: sample.body } : {}),
    });
  }
  if (sample.query === true) {
    for (const query of [
      'limit=-1',
      'limit=abc',
      'limit=100000',
      'cursor=%21%21%21',
      'cursor=bm90LWEtY3Vyc29y',
    ]) {
      add(`query ${decodeURIComponent(query)}`, `${realPath}?${query}`, { headers });
    }
  }
  const body =
    sample.body === undefined
      ? undefined
      : JSON.parse(JSON.stringify(sample.body).replaceAll('PRODUCT', productId));
  const maxBytes = route.maxBodyBytes ?? 16_384;
  if (route.method !== 'GET') {
    add('an oversize body', realPath, {
      headers,
      body: { ...(body ?? {}), padding: 'p'.repeat(maxBytes + 1) },
    });
  }
  if (body !== undefined) {
    add('bad JSON', realPath, { headers, body: '{"unterminated": ' });
    add('a JSON array', realPath, { headers, body: '[]' });
    add('JSON null', realPath, { headers, body: 'null' });
    add('an empty object', realPath, { headers, body: {} });
    add('an unknown field', realPath, { headers, body: { ...body, unexpected: true } });
    for (const [name, variant] of wrongTypes(body)) add(name, realPath, { headers, body: variant });
    for (const field of Object.keys(body).filter((f) => typeof body[f] === 'number')) {
      add(`a negative ${field}`, realPath, { headers, body: { ...body, [field]: -1 } });
    }
  }
  return cases;
}

/** Order-specific malformations a generic generator cannot know. */
function orderCases(): Case[] {
  const headers = { 'idempotency-key': `malformed-${crypto.randomUUID()}` };
  const order = (body: unknown, h: Record<string, string> = headers): Case => ({
    name: '',
    method: 'POST',
    path: '/orders',
    options: {
      token: tokens.customer,
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}`, ...h },
      body,
    },
  });
  const line = (quantity: number, id = productId) => ({
    items: [{ productId: id, quantity }],
    card: CARDS.authorizes,
  });
  return [
    { ...order(line(1, 'unknown-product-1')), name: 'an unknown product' },
    { ...order(line(0)), name: 'a zero quantity' },
    { ...order(line(-3)), name: 'a negative quantity' },
    { ...order(line(1.5)), name: 'a fractional quantity' },
    { ...order({ items: [], card: CARDS.authorizes }), name: 'no items' },
    {
      ...order({
        items: [
          { productId, quantity: 1 },
          { productId, quantity: 2 },
        ],
        card: CARDS.authorizes,
      }),
      name: 'a repeated product',
    },
    {
      ...order({ items: [{ productId, quantity: 1 }], card: { number: '12' } }),
      name: 'a card number too short',
    },
    { ...order({ items: [{ productId, quantity: 1 }] }), name: 'no card' },
    { ...order(line(1), { 'idempotency-key': 'x' }), name: 'an idempotency key too short' },
    {
      name: 'no idempotency key',
      method: 'POST',
      path: '/orders',
      options: { token: tokens.customer, body: line(1) },
    },
  ];
}

beforeAll(async () => {
  target = await startE2eTarget();
  api = new HttpClient(target.httpUrl);
  const minter = await tokenMinter(target);
  tokens = { customer: minter.mint().token, admin: minter.mint({ roles: ['customer', 'admin'] }).token };
  productId = (await createProduct(api, tokens.admin, { name: 'Target', priceCents: 500, stock: 50 }))
    .productId;
  // Warm the order path: under load a cold worker could make a valid dependency slow (a 503 that
  // has nothing to do with the malformed input under test).
  const warm = await placeOrderRetrying(api, tokens.customer, {
    items: [{ productId, quantity: 1 }],
    card: CARDS.authorizes,
  });
  expect(warm.response.status).toBe(202);
});
afterAll(async () => {
  await target.stop();
});

describe('malformed input on every route', () => {
  it('has a valid sample for every route of every registered quantum', () => {
    const registered = Object.keys(target.registry?.quanta ?? {});
    const routes = registered.flatMap((q) =>
      (manifests[q]?.routes ?? []).map((r) => `${r.method} ${r.path}`),
    );

    const missing = routes.filter((key) => !(key in samples()));

    expect(routes.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('gets a 4xx with the error body, never a 5xx', async () => {
    const all = Object.keys(target.registry?.quanta ?? {}).flatMap((q) => {
      const manifest = manifests[q];
      if (manifest === undefined) return [];
      expect(manifest.routes?.every((r) => r.path.startsWith(basePathOf(manifest))) ?? true).toBe(true);
      return (manifest.routes ?? []).flatMap((route) => {
        const sample = samples()[`${route.method} ${route.path}`];
        return sample === undefined ? [] : casesFor(route, sample);
      });
    });
    const cases = [...all, ...orderCases()];

    const failures: string[] = [];
    for (let i = 0; i < cases.length; i += 8) {
      const batch = cases.slice(i, i + 8);
      const responses = await Promise.all(batch.map((c) => api.call(c.method, c.path, c.options)));
      responses.forEach((response, j) => {
        const c = batch[j] as Case;
        const label = `${c.method} ${c.path.slice(0, 60)} with ${c.name}: ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`;
        if (response.status < 400 || response.status >= 500) failures.push(label);
        else if (!errorBodySchema.safeParse(response.body).success)
          failures.push(`${label} (not the error body)`);
      });
    }

    expect(cases.length).toBeGreaterThan(80);
    expect(failures).toEqual([]);
  });
});
