import { MAX_AMOUNT_CENTS } from '@quanta/contracts/common';
import { errorBodySchema } from '@quanta/contracts/http';
import { orderPageSchema } from '@quanta/contracts/orders';
import { basePathOf, type RouteDefinition } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifests } from '../../quanta/manifests';
import { CARDS, createProduct, getOrder, placeOrderRetrying } from './support/commerce';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import type { ApiResponse, CallOptions } from './support/HttpClient';
import { HttpClient } from './support/HttpClient';
import { tokenMinter } from './support/mintToken';
import { waitFor } from './support/waitFor';

/**
 * Malformed input on every public route of every registered quantum — wrong types, missing fields,
 * unknown fields, oversize bodies, bad JSON, negative numbers, unknown or malformed ids, bad query
 * strings — gets a 4xx with the error body `{ error: { code, message } }`, never a 5xx. So do the
 * boundary values of every limit a request can reach: each text field at its maximum length (in
 * ASCII, astral characters and combining marks: accepted) and one over (refused), each number at
 * its bounds, pagination at its bounds, Unicode that must be refused (control characters, bidi
 * overrides and isolates, unpaired surrogates, invalid UTF-8) and Unicode that must not be (real
 * names in any script). The cases are generated from the manifests and a valid sample per route; a
 * route without a sample fails the suite, so a new route cannot skip this.
 */
let target: E2eTarget;
let api: HttpClient;
let tokens: { customer: string; admin: string };
/** The product the order cases buy. */
let productId: string;
/** The product the PATCH cases rename and reprice (so the order cases keep their price). */
let patchedProductId: string;
/** A room, so the history route's query is parsed (an unknown room would answer 404 first). */
let roomId: string;

/** The limits of a body field that the boundary cases probe. */
type FieldBound =
  | {
      readonly kind: 'singleLine' | 'multiLine';
      readonly maxLength: number;
      /** @default 1 */
      readonly minLength?: number;
    }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number };

/** A valid request per route (`METHOD /path`), from which the malformed variants are derived. */
interface Sample {
  readonly body?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly query?: boolean;
  /** Status of the valid request: what a boundary value that must be accepted gets. */
  readonly ok?: number;
  /** Makes a body unique (a new e-mail), so an accepted variant is not refused as a duplicate. */
  readonly unique?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** The limits of the body's fields. */
  readonly bounds?: Readonly<Record<string, FieldBound>>;
  /** Further query strings and whether each must be accepted (`ok`) or refused. */
  readonly queries?: ReadonlyArray<readonly [string, 'accepted' | 'refused']>;
}

const uniqueEmail = (body: Record<string, unknown>) => ({
  ...body,
  email: `sweep-${crypto.randomUUID()}@example.com`,
});

const samples = (): Record<string, Sample> => ({
  'POST /identity/signup': {
    body: { email: 'x@example.com', password: 'long enough password', displayName: 'X' },
    ok: 201,
    unique: uniqueEmail,
    bounds: { displayName: { kind: 'singleLine', maxLength: 64 } },
  },
  'POST /identity/login': { body: { email: 'x@example.com', password: 'long enough password' } },
  'POST /identity/refresh': { body: { refreshToken: 'r'.repeat(43) } },
  'POST /identity/logout': {},
  'GET /identity/me': {},
  'POST /identity/password': {
    body: { currentPassword: 'long enough password', newPassword: 'another long password' },
  },
  'POST /identity/logout-all': {},
  'PUT /identity/users/{userId}/roles': { body: { roles: ['customer', 'admin'] } },
  'GET /identity/.well-known/jwks.json': {},
  'POST /realtime/tickets': {},
  'GET /catalog/products': { query: true },
  'GET /catalog/products/{id}': {},
  'POST /catalog/products': {
    body: { name: 'Thing', description: 'd', priceCents: 100, currency: 'EUR', stock: 5 },
    ok: 201,
    bounds: {
      name: { kind: 'singleLine', maxLength: 120 },
      description: { kind: 'multiLine', maxLength: 2000, minLength: 0 },
      priceCents: { kind: 'integer', min: 1, max: MAX_AMOUNT_CENTS },
      stock: { kind: 'integer', min: 0, max: 1_000_000 },
    },
  },
  'PATCH /catalog/products/{id}': {
    body: { name: 'New name', priceCents: 200 },
    ok: 200,
    bounds: {
      name: { kind: 'singleLine', maxLength: 120 },
      priceCents: { kind: 'integer', min: 1, max: MAX_AMOUNT_CENTS },
    },
  },
  'POST /catalog/products/{id}/restock': {
    body: { quantity: 5 },
    ok: 200,
    bounds: { quantity: { kind: 'integer', min: 1, max: 1_000_000 } },
  },
  'POST /orders': {
    body: { items: [{ productId: 'PRODUCT', quantity: 1 }], card: CARDS.authorizes },
    headers: { 'idempotency-key': 'malformed-input-test-key' },
  },
  'GET /orders': { query: true },
  'GET /orders/{id}': {},
  'POST /orders/{id}/cancel': {},
  'POST /chat/rooms': {
    body: { name: 'Room' },
    ok: 201,
    bounds: { name: { kind: 'singleLine', maxLength: 80 } },
  },
  'GET /chat/rooms': { query: true },
  'GET /chat/rooms/{roomId}/messages': {
    query: true,
    queries: [
      [`after=${Number.MAX_SAFE_INTEGER}`, 'accepted'],
      ['after=0&limit=100', 'accepted'],
      [`after=${Number.MAX_SAFE_INTEGER + 1}`, 'refused'],
      ['after=-1', 'refused'],
      ['after=1e400', 'refused'],
      ['after=%F0%9F%98%80', 'refused'],
    ],
  },
});

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly options: CallOptions;
  /** The exact status a valid boundary value gets; without it, any 4xx with the error body. */
  readonly expected?: number;
}

/** Every field of `body` replaced by a value of the wrong type, one at a time. */
function wrongTypes(body: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  return Object.keys(body).map((field) => {
    const value = body[field];
    const wrong = typeof value === 'string' ? 12345 : typeof value === 'number' ? 'twelve' : 'not-an-object';
    return [`${field} of the wrong type`, { ...body, [field]: wrong }];
  });
}

/** Characters no text field may carry, by name. */
const FORBIDDEN: ReadonlyArray<readonly [string, string]> = [
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['ESC', '\u001B'],
  ['DEL', '\u007F'],
  ['C1 NEL', '\u0085'],
  ['C1 CSI', '\u009B'],
  ['a right-to-left override', '\u202E'],
  ['a left-to-right embedding', '\u202A'],
  ['a pop directional formatting', '\u202C'],
  ['a left-to-right isolate', '\u2066'],
  ['a pop directional isolate', '\u2069'],
  ['a lone high surrogate', '\uD800'],
  ['a lone low surrogate', '\uDFFF'],
  ['surrogates in the wrong order', '\uDE00\uD83D'],
  ['a carriage return', '\r'],
  ['a line separator', '\u2028'],
  ['a paragraph separator', '\u2029'],
];

/** Text the rules must not refuse: names in other scripts, combining marks, emoji sequences. */
const REAL_WORLD = 'Zoë Ångström e\u0301 👩‍👩‍👧 🇪🇺 שלום\u200F مرحبا 中文 \u{1D54F}';

/** Boundary and Unicode variants of one text field: `[name, value, accepted]`. */
function textVariants(bound: Extract<FieldBound, { kind: 'singleLine' | 'multiLine' }>) {
  const { maxLength: max, kind } = bound;
  const minLength = bound.minLength ?? 1;
  const variants: Array<[string, string, boolean]> = [
    [`exactly ${max} characters`, 'x'.repeat(max), true],
    [`exactly ${max} astral characters (4 UTF-8 bytes each)`, '😀'.repeat(max), true],
    [`exactly ${max} code points of letters and combining marks`, 'e\u0301'.repeat(max / 2), true],
    ['names in several scripts, combining marks and emoji sequences', REAL_WORLD, true],
    [`${max + 1} characters`, 'x'.repeat(max + 1), false],
    [`${max + 1} astral characters`, '😀'.repeat(max + 1), false],
    [`one letter with ${max} combining marks`, `e${'\u0301'.repeat(max)}`, false],
    [`very long UTF-8 (${8 * max} astral characters)`, '𝕏'.repeat(8 * max), false],
    ...FORBIDDEN.map(([name, char]): [string, string, boolean] => [name, `ok${char}ok`, false]),
    ['a line feed', 'line 1\nline 2', kind === 'multiLine'],
    ['a tab', 'col 1\tcol 2', kind === 'multiLine'],
  ];
  if (minLength > 0) variants.push(['only whitespace', '   ', kind === 'multiLine']);
  return variants;
}

/** Boundary variants of one integer field: `[name, value, accepted]`. */
function integerVariants(bound: Extract<FieldBound, { kind: 'integer' }>): Array<[string, number, boolean]> {
  return [
    [`the maximum ${bound.max}`, bound.max, true],
    [`the minimum ${bound.min}`, bound.min, true],
    [`one over the maximum (${bound.max + 1})`, bound.max + 1, false],
    [`one under the minimum (${bound.min - 1})`, bound.min - 1, false],
    ['a fraction', bound.min + 0.5, false],
    ['2^53 + 1', 2 ** 53 + 1, false],
    ['1e300', 1e300, false],
  ];
}

/**
 * The route's path with its parameters filled in: products and rooms that exist, and a user id that
 * signed up nowhere (a roles change is never made for real here).
 */
function realPathOf(route: RouteDefinition): string {
  const id = route.method === 'PATCH' ? patchedProductId : productId;
  return route.path.replace('{id}', id).replace('{roomId}', roomId).replace('{userId}', 'no-such-user-0000');
}

function casesFor(route: RouteDefinition, sample: Sample): Case[] {
  const token =
    route.access === 'public' ? undefined : typeof route.access === 'object' ? tokens.admin : tokens.customer;
  const auth: CallOptions = token === undefined ? {} : { token };
  const headers = sample.headers ?? {};
  const realPath = realPathOf(route);
  const cases: Case[] = [];
  const add = (name: string, path: string, options: CallOptions, expected?: number) =>
    cases.push({
      name,
      method: route.method,
      path,
      options: { ...auth, ...options },
      ...(expected === undefined ? {} : { expected }),
    });

  const param = /\{(id|roomId|userId)\}/.exec(route.path)?.[0];
  if (param !== undefined) {
    const withId = (id: string) => route.path.replace(param, id);
    const request = { headers, ...(sample.body ? { body: sample.body } : {}) };
    for (const [name, id] of [
      ['an unknown id', 'no-such-id-0000'],
      ['a malformed id', 'x'.repeat(200)],
      ['an id with forbidden characters', 'bad%20id%3B'],
      ['an unknown id of exactly 64 characters', 'a'.repeat(64)],
      ['an id of 65 characters', 'a'.repeat(65)],
      ['an id with an encoded NUL', 'id%00'],
      ['an id that is an emoji', '%F0%9F%98%80'],
      ['an id with a right-to-left override', 'id%E2%80%AE'],
      ['an id encoding a lone surrogate (invalid UTF-8)', 'id%ED%A0%80'],
      ['an id with an overlong UTF-8 encoding', '%C0%AF'],
      ['an id with a byte that is never UTF-8', '%FF'],
    ] as const) {
      add(name, withId(id), request);
    }
  }
  if (sample.query === true) {
    for (const query of [
      'limit=-1',
      'limit=abc',
      'limit=100000',
      'limit=0',
      'limit=101',
      'limit=1.5',
      'limit=1e400',
      'limit=%F0%9F%98%80',
      'cursor=%21%21%21',
      'cursor=bm90LWEtY3Vyc29y',
      `cursor=${'A'.repeat(1024)}`,
      `cursor=${'A'.repeat(1025)}`,
      'cursor=%00',
      'cursor=%E2%80%AE',
    ]) {
      add(`query ${query.slice(0, 40)}`, `${realPath}?${query}`, { headers });
    }
    for (const query of ['limit=100', 'limit=1']) {
      add(`query ${query} (a bound, accepted)`, `${realPath}?${query}`, { headers }, 200);
    }
  }
  for (const [query, verdict] of sample.queries ?? []) {
    add(`query ${query}`, `${realPath}?${query}`, { headers }, verdict === 'accepted' ? 200 : undefined);
  }
  const body =
    sample.body === undefined
      ? undefined
      : (JSON.parse(JSON.stringify(sample.body).replaceAll('PRODUCT', productId)) as Record<string, unknown>);
  const maxBytes = route.maxBodyBytes ?? 16_384;
  if (route.method !== 'GET') {
    add('an oversize body', realPath, {
      headers,
      body: { ...(body ?? {}), padding: 'p'.repeat(maxBytes + 1) },
    });
  }
  if (body !== undefined) {
    const fresh = (variant: Record<string, unknown>) => sample.unique?.(variant) ?? variant;
    add('bad JSON', realPath, { headers, body: '{"unterminated": ' });
    add('a JSON array', realPath, { headers, body: '[]' });
    add('JSON null', realPath, { headers, body: 'null' });
    add('an empty object', realPath, { headers, body: {} });
    add('an unknown field', realPath, { headers, body: { ...body, unexpected: true } });
    add('a body that is not UTF-8', realPath, {
      headers,
      body: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
    });
    for (const [name, variant] of wrongTypes(body)) add(name, realPath, { headers, body: variant });
    for (const field of Object.keys(body).filter((f) => typeof body[f] === 'number')) {
      add(`a negative ${field}`, realPath, { headers, body: { ...body, [field]: -1 } });
    }
    for (const [field, bound] of Object.entries(sample.bounds ?? {})) {
      const variants: Array<[string, unknown, boolean]> =
        bound.kind === 'integer' ? integerVariants(bound) : textVariants(bound);
      for (const [name, value, accepted] of variants) {
        add(
          `${field}: ${name}`,
          realPath,
          { headers, body: fresh({ ...body, [field]: value }) },
          accepted ? sample.ok : undefined,
        );
      }
    }
  }
  return cases;
}

/** Order-specific malformations and boundaries a generic generator cannot know. */
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
  const lines = (count: number, quantity = 1) => ({
    items: Array.from({ length: count }, (_, i) => ({ productId: `unknown-product-${i}`, quantity })),
    card: CARDS.authorizes,
  });
  return [
    { ...order(line(1, 'unknown-product-1')), name: 'an unknown product' },
    { ...order(line(0)), name: 'a zero quantity' },
    { ...order(line(-3)), name: 'a negative quantity' },
    { ...order(line(1.5)), name: 'a fractional quantity' },
    { ...order(line(101)), name: 'a quantity one over the maximum (101)' },
    { ...order(line(2 ** 53 + 1)), name: 'a quantity of 2^53 + 1' },
    { ...order({ items: [], card: CARDS.authorizes }), name: 'no items' },
    { ...order(lines(21)), name: 'one line over the maximum (21)' },
    { ...order(lines(20, 100)), name: '20 lines of 100 units of unknown products' },
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
    {
      ...order({ items: [{ productId, quantity: 1 }], card: { number: '４２４２４２４２４２４２４２４２' } }),
      name: 'a card number in full-width digits',
    },
    {
      ...order({ items: [{ productId, quantity: 1 }], card: { number: '4242\u0000424242424242' } }),
      name: 'a card number with a NUL',
    },
    { ...order({ items: [{ productId, quantity: 1 }] }), name: 'no card' },
    { ...order(line(1), { 'idempotency-key': 'x' }), name: 'an idempotency key too short' },
    {
      ...order(line(1), { 'idempotency-key': `k${'x'.repeat(128)}` }),
      name: 'an idempotency key one over the maximum (129)',
    },
    {
      ...order(line(1), { 'idempotency-key': 'key-\u00e9\u00e9\u00e9\u00e9\u00e9' }),
      name: 'an idempotency key with Latin-1 bytes',
    },
    { ...order(line(1), { 'idempotency-key': 'key with spaces' }), name: 'an idempotency key with spaces' },
    {
      ...order(line(1), { 'idempotency-key': 'k'.repeat(128) }),
      name: 'an idempotency key of exactly 128 characters',
      expected: 202,
    },
    { ...order(line(100)), name: 'the maximum quantity (100)', expected: 202 },
    {
      name: 'no idempotency key',
      method: 'POST',
      path: '/orders',
      options: { token: tokens.customer, body: line(1) },
    },
  ];
}

/**
 * Sends `cases` and describes every answer that breaks its expectation. Refusals go eight at a time;
 * accepted values one at a time, since several of them change one product (concurrent renames of one
 * product may legitimately answer 409 after their retries).
 */
async function failuresOf(cases: readonly Case[]): Promise<string[]> {
  const failures: string[] = [];
  const refused = cases.filter((c) => c.expected === undefined);
  const accepted = cases.filter((c) => c.expected !== undefined);
  const batches = [
    ...Array.from({ length: Math.ceil(refused.length / 8) }, (_, i) => refused.slice(i * 8, i * 8 + 8)),
    ...accepted.map((c) => [c]),
  ];
  for (const batch of batches) {
    const responses = await Promise.all(batch.map(send));
    responses.forEach((response, j) => {
      const c = batch[j] as Case;
      const problem = problemOf(c, response);
      if (problem !== undefined) {
        failures.push(
          `${c.method} ${c.path.slice(0, 60)} with ${c.name}: ${problem}: ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`,
        );
      }
    });
  }
  return failures;
}

/**
 * Sends one case. A 503 `DEPENDENCY_UNAVAILABLE` (a dependency too slow on a loaded machine, D26) is
 * retried after its `Retry-After` as a well-behaved client would, a few times; one that persists is
 * reported like any other 5xx.
 */
async function send(c: Case): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt++) {
    const response = await api.call(c.method, c.path, c.options);
    const code = (response.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (response.status !== 503 || code !== 'DEPENDENCY_UNAVAILABLE' || attempt >= 5) return response;
    await new Promise((resolve) =>
      setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)),
    );
  }
}

function problemOf(c: Case, response: ApiResponse): string | undefined {
  if (response.status >= 500) return 'a 5xx';
  if (c.expected !== undefined) return response.status === c.expected ? undefined : `expected ${c.expected}`;
  if (response.status < 400) return 'accepted, expected a 4xx';
  return errorBodySchema.safeParse(response.body).success ? undefined : 'not the error body';
}

beforeAll(async () => {
  target = await startE2eTarget();
  api = new HttpClient(target.httpUrl);
  const minter = await tokenMinter(target);
  tokens = { customer: minter.mint().token, admin: minter.mint({ roles: ['customer', 'admin'] }).token };
  productId = (await createProduct(api, tokens.admin, { name: 'Target', priceCents: 500, stock: 50 }))
    .productId;
  patchedProductId = (await createProduct(api, tokens.admin, { name: 'Patched', priceCents: 500, stock: 1 }))
    .productId;
  const room = await api.call<{ roomId: string }>('POST', '/chat/rooms', {
    token: tokens.customer,
    body: { name: 'Sweep' },
  });
  expect(room.status).toBe(201);
  roomId = room.body.roomId;
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

  // About 550 requests, a few of them signups (scrypt) and product writes, on a shared 2-core machine.
  it('gets a 4xx with the error body, never a 5xx; boundary values that are valid get the route’s success', {
    timeout: 300_000,
  }, async () => {
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

    const failures = await failuresOf(cases);

    expect(cases.length).toBeGreaterThan(300);
    expect(cases.filter((c) => c.expected !== undefined).length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });
});

describe('order totals a valid request can reach', () => {
  it('answers 422 ORDER_TOTAL_TOO_LARGE, storing nothing, for 100 units of a product priced 1,000,001 cents and for the maximum price × quantity × lines', async () => {
    // A buyer of their own, so their order list shows exactly what these requests stored.
    const buyer = (await tokenMinter(target)).mint().token;
    const pricey = await createProduct(api, tokens.admin, {
      name: 'Pricey',
      priceCents: 1_000_001,
      stock: 1_000,
    });
    const maxed = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createProduct(api, tokens.admin, { name: `Max ${i}`, priceCents: MAX_AMOUNT_CENTS, stock: 100 }),
      ),
    );

    const known = await placeOrderRetrying(api, buyer, {
      items: [{ productId: pricey.productId, quantity: 100 }],
      card: CARDS.authorizes,
    });
    const largest = await placeOrderRetrying(api, buyer, {
      items: maxed.map((p) => ({ productId: p.productId, quantity: 100 })),
      card: CARDS.authorizes,
    });
    const list = await api.call('GET', '/orders', { token: buyer });

    expect(known.response.status).toBe(422);
    expect(errorBodySchema.parse(known.response.body).error).toMatchObject({
      code: 'ORDER_TOTAL_TOO_LARGE',
      details: { totalCents: 100_000_100, maxTotalCents: MAX_AMOUNT_CENTS, currency: 'EUR' },
    });
    expect(largest.response.status).toBe(422);
    expect(errorBodySchema.parse(largest.response.body).error).toMatchObject({
      code: 'ORDER_TOTAL_TOO_LARGE',
      details: { totalCents: 20 * 100 * MAX_AMOUNT_CENTS },
    });
    expect(list.status).toBe(200);
    expect(orderPageSchema.parse(list.body).items).toEqual([]);
  });

  it('accepts an order whose total is exactly the maximum and confirms it: its events and payment carry that amount', async () => {
    const buyer = (await tokenMinter(target)).mint().token;
    const product = await createProduct(api, tokens.admin, {
      name: 'At the cap',
      priceCents: MAX_AMOUNT_CENTS / 100,
      stock: 100,
    });

    const placed = await placeOrderRetrying(api, buyer, {
      items: [{ productId: product.productId, quantity: 100 }],
      card: CARDS.authorizes,
    });
    expect(placed.response.status).toBe(202);
    const { orderId } = placed.response.body;
    const order = await waitFor(
      'the order at the cap to leave PENDING',
      async () => {
        const current = await getOrder(api, buyer, orderId);
        return current.status === 'PENDING' ? undefined : current;
      },
      { timeoutMs: 30_000 },
    );

    expect(order).toMatchObject({ status: 'CONFIRMED', totalCents: MAX_AMOUNT_CENTS });
  });
});
