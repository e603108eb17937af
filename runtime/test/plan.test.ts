import { describe, expect, it } from 'vitest';
import {
  defineQuantum,
  functionOf,
  parseRegistry,
  plan,
  planTable,
  quantumOf,
  roleNameOf,
  roleStemOf,
} from '../src/manifest';

const platform = defineQuantum({
  name: 'platform',
  dir: '/q/platform',
  basePath: '/realtime',
  table: {},
  functions: {
    authorizer: { entry: 'functions/authorizer.ts', timeoutSeconds: 5 },
    wsAuthorizer: { entry: 'functions/wsAuthorizer.ts' },
    api: { entry: 'functions/api.ts' },
  },
  routes: [{ method: 'POST', path: '/realtime/tickets', access: 'authenticated' }],
});
const identity = defineQuantum({
  name: 'identity',
  dir: '/q/identity',
  table: {},
  signingKey: true,
  functions: { api: { entry: 'functions/api.ts' }, outboxRelay: { entry: 'functions/outboxRelay.ts' } },
  routes: [
    { method: 'GET', path: '/identity/.well-known/jwks.json', access: 'public' },
    { method: 'GET', path: '/identity/me', access: 'authenticated' },
  ],
  publishes: ['SessionRevoked'],
  outboxRelay: 'outboxRelay',
});
const catalog = defineQuantum({
  name: 'catalog',
  dir: '/q/catalog',
  table: {},
  functions: {
    facade: { entry: 'functions/facade.ts' },
    requests: { entry: 'functions/requests.ts', timeoutSeconds: 3 },
  },
  facade: [{ name: 'GetProducts', callers: ['orders'] }],
  requestHandlers: [{ type: 'ReserveStock', function: 'requests' }],
});
const orders = defineQuantum({
  name: 'orders',
  dir: '/q/orders',
  table: {},
  functions: {
    api: { entry: 'functions/api.ts' },
    replies: { entry: 'functions/replies.ts', timeoutSeconds: 30 },
    renamed: { entry: 'functions/renamed.ts' },
  },
  routes: [{ method: 'POST', path: '/orders', access: 'authenticated' }],
  calls: ['catalog'],
  sends: [{ quantum: 'catalog', types: ['ReserveStock'] }],
  replyHandler: 'replies',
  subscriptions: [
    { id: 'renamed', function: 'renamed', pattern: { source: ['quanta.catalog'] }, batchSize: 5 },
  ],
  webSocket: { function: 'renamed', routes: ['$connect', 'send'] },
});
const manifests = { platform, identity, catalog, orders };
const registry = (quanta: Record<string, object>, extra: Record<string, unknown> = {}) =>
  parseRegistry({ quanta, ...extra });
const sameAccount = registry({ platform: {}, identity: {}, catalog: {}, orders: {} });

describe('plan()', () => {
  it('puts the platform first and gives it the platform role', () => {
    const p = plan(manifests, sameAccount);
    expect(p.quanta.map((q) => [q.name, q.role])).toEqual([
      ['platform', 'platform'],
      ['identity', 'business'],
      ['catalog', 'business'],
      ['orders', 'business'],
    ]);
  });

  it('sets every queue’s visibility to six times its consumer’s timeout, never under 30 s', () => {
    const queues = quantumOf(plan(manifests, sameAccount), 'platform').queues;
    expect(queues.map((q) => [q.name, q.visibilityTimeoutSeconds, q.senders])).toEqual([
      ['quanta-catalog-requests', 30, ['orders']],
      ['quanta-orders-replies', 180, ['catalog']],
    ]);
  });

  it('gives the request handler the reply queue of each sender and every function of a sender the request queues', () => {
    const p = plan(manifests, sameAccount);
    expect(functionOf(p, 'catalog', 'requests')?.environment.REPLY_QUEUE_URL_ORDERS).toEqual({
      ref: 'queueUrl',
      queue: 'quanta-orders-replies',
      host: 'platform',
    });
    expect(functionOf(p, 'orders', 'renamed')?.environment.REQUEST_QUEUE_URL_CATALOG).toMatchObject({
      queue: 'quanta-catalog-requests',
    });
    expect(functionOf(p, 'orders', 'api')?.permissions).toContainEqual({
      kind: 'invokeFacade',
      quantum: 'catalog',
      operations: ['GetProducts'],
    });
  });

  it('points the authorizer at the JWKS route the signing-key holder declares, read-only on its table', () => {
    const authorizer = functionOf(plan(manifests, sameAccount), 'platform', 'authorizer');
    expect(authorizer?.environment.JWKS_URI).toEqual({
      ref: 'jwksUri',
      path: '/identity/.well-known/jwks.json',
    });
    expect(authorizer?.permissions[0]).toEqual({ kind: 'table', table: 'quanta-platform', access: 'read' });
    expect(authorizer?.triggers).toEqual([{ kind: 'httpAuthorizer' }]);
  });

  it('routes ANY base and proxy behind the authorizer plus each public route without it', () => {
    const routes = plan(manifests, sameAccount).platform.httpApi.routes.map(
      (r) => `${r.routeKey} ${r.authorized}`,
    );
    expect(routes).toEqual([
      'ANY /realtime true',
      'ANY /realtime/{proxy+} true',
      'ANY /identity true',
      'ANY /identity/{proxy+} true',
      'GET /identity/.well-known/jwks.json false',
      'ANY /orders true',
      'ANY /orders/{proxy+} true',
    ]);
  });

  it('applies the registry’s environment overrides last, over references too', () => {
    const p = plan(
      manifests,
      registry(
        { platform: {}, identity: {}, catalog: {}, orders: {} },
        {
          'quanta:environment': { orders: { REPLY_QUEUE_URL: 'https://override', FLAG: 'on' } },
        },
      ),
    );
    expect(functionOf(p, 'orders', 'api')?.environment).toMatchObject({
      REPLY_QUEUE_URL: 'https://override',
      FLAG: 'on',
    });
  });

  it('serves the WebSocket routes with the function the manifest names', () => {
    const p = plan(manifests, sameAccount);
    expect(p.platform.webSocketApi.target).toEqual({ quantum: 'orders', function: 'renamed' });
    expect(functionOf(p, 'orders', 'renamed')?.triggers).toContainEqual({
      kind: 'webSocketRoutes',
      routeKeys: ['$connect', 'send'],
      apiId: { parameter: '/quanta/platform/websocket-api-id' },
    });
  });

  it('shares a facade URL with callers in other accounts and has them read it by ARN', () => {
    const p = plan(
      manifests,
      registry({
        platform: { account: '111111111111', region: 'eu-west-1' },
        identity: { account: '111111111111', region: 'eu-west-1' },
        catalog: { account: '222222222222', region: 'eu-west-1' },
        orders: { account: '333333333333', region: 'eu-west-1' },
      }),
    );
    expect(quantumOf(p, 'catalog').facade?.shareWithAccounts).toEqual(['333333333333']);
    expect(quantumOf(p, 'orders').calls).toEqual([
      {
        target: 'catalog',
        operations: ['GetProducts'],
        urlParameter: '/quanta/catalog/facade-url',
        shared: { account: '222222222222', region: 'eu-west-1' },
      },
    ]);
    expect(quantumOf(p, 'orders').ownBus).toBe('quanta-orders-bus');
    expect(p.platform.forwardings.map((f) => f.quantum)).toEqual(['orders']);
  });

  it('refuses a request type the target does not handle, naming both quanta', () => {
    const bad = {
      ...manifests,
      orders: { ...orders, sends: [{ quantum: 'catalog', types: ['ReleaseStock'] }] },
    };
    expect(() => plan(bad, sameAccount)).toThrow(
      /'orders' sends ReleaseStock to 'catalog', which handles only: ReserveStock/,
    );
  });

  it('refuses a manifest that is invalid on its own, naming the field and the rule', () => {
    const bad = {
      ...manifests,
      catalog: { ...catalog, functions: { ...catalog.functions, facade: { entry: 'functions/facade.js' } } },
    };
    expect(() => plan(bad, sameAccount)).toThrow(
      "Quantum manifest 'catalog' is invalid: functions.facade.entry: must be a .ts file relative to the quantum directory",
    );
  });

  it('refuses a manifest whose parts name a function it does not declare', () => {
    const bad = { ...manifests, orders: { ...orders, replyHandler: 'answers' } };
    expect(() => plan(bad, sameAccount)).toThrow(
      "Quantum manifest 'orders' is invalid: replyHandler names function 'answers', which is not declared",
    );
  });

  it('refuses two quanta on one base path', () => {
    const clash = {
      ...manifests,
      catalog: {
        ...catalog,
        basePath: '/orders',
        functions: { ...catalog.functions, api: { entry: 'a.ts' } },
      },
    };
    expect(() => plan(clash, sameAccount)).toThrow(/both use the base path '\/orders'/);
  });

  it('is plain data: the JSON round trip is the plan, and the table names every function', () => {
    const p = plan(manifests, sameAccount);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    const text = planTable(p);
    for (const fn of p.quanta.flatMap((q) => q.functions)) expect(text).toContain(fn.name);
  });
});

describe('plan() names exactly whom each resource policy trusts', () => {
  const threeAccounts = registry({
    platform: { account: '111111111111', region: 'eu-west-1' },
    identity: { account: '111111111111', region: 'eu-west-1' },
    catalog: { account: '222222222222', region: 'eu-west-1' },
    orders: { account: '333333333333', region: 'eu-west-1' },
  });
  const role = (quantum: string, stem: string) => ({ quantum, stem });

  it('gives every function a role named after the function, under the registry’s prefix', () => {
    const p = plan(
      manifests,
      registry({ platform: {}, identity: {}, catalog: {}, orders: {} }, { 'quanta:prefix': 'e2eabc' }),
    );
    expect(functionOf(p, 'identity', 'outboxRelay')?.role).toEqual(
      role('identity', 'e2eabc-identity-outbox-relay'),
    );
    expect(roleNameOf('e2eabc-identity-outbox-relay', 'eu-west-1')).toBe(
      'e2eabc-identity-outbox-relay-eu-west-1',
    );
  });

  it('shortens a role stem too long to leave room for any region, keeping it unique with a hash', () => {
    const long = `${'x'.repeat(21)}-inventory-reconcile-warehouse-stock`;
    const stem = roleStemOf(long);
    expect(stem).toHaveLength(48);
    expect(stem.startsWith(long.slice(0, 39))).toBe(true);
    expect(roleStemOf(`${long}s`)).not.toBe(stem);
    expect(roleNameOf(stem, 'us-isof-south-1').length).toBeLessThanOrEqual(64);
    expect(roleStemOf('quanta-orders-api')).toBe('quanta-orders-api');
  });

  it('admits to a request queue every function of its senders and lets only its handler consume it', () => {
    const queues = quantumOf(plan(manifests, sameAccount), 'platform').queues;
    const requests = queues.find((q) => q.name === 'quanta-catalog-requests');
    expect(requests?.senderRoles).toEqual([
      role('orders', 'quanta-orders-api'),
      role('orders', 'quanta-orders-replies'),
      role('orders', 'quanta-orders-renamed'),
    ]);
    expect(requests?.consumerRole).toEqual(role('catalog', 'quanta-catalog-requests'));
  });

  it('admits to a reply queue only the request handlers of the targets', () => {
    const queues = quantumOf(plan(manifests, sameAccount), 'platform').queues;
    const replies = queues.find((q) => q.name === 'quanta-orders-replies');
    expect(replies?.senderRoles).toEqual([role('catalog', 'quanta-catalog-requests')]);
    expect(replies?.consumerRole).toEqual(role('orders', 'quanta-orders-replies'));
  });

  it('admits to a facade operation the roles of the callers’ functions, and only callers that call it', () => {
    const withChat = {
      ...manifests,
      catalog: { ...catalog, facade: [{ name: 'GetProducts', callers: ['orders', 'identity'] }] },
    };
    const facade = quantumOf(plan(withChat, threeAccounts), 'catalog').facade;
    expect(facade?.operations[0]?.callers).toEqual(['orders']);
    expect(facade?.operations[0]?.callerRoles.map((r) => `${r.quantum}:${r.stem}`)).toEqual([
      'orders:quanta-orders-api',
      'orders:quanta-orders-replies',
      'orders:quanta-orders-renamed',
    ]);
    expect(facade?.shareWithAccounts).toEqual(['333333333333']);
  });

  it('admits to the platform bus only each publisher’s outbox relay, and to a remote bus only its forwarding role', () => {
    const p = plan(manifests, threeAccounts);
    expect(p.platform.publishers).toEqual([
      {
        quantum: 'identity',
        source: 'quanta.identity',
        roles: [role('identity', 'quanta-identity-outbox-relay')],
      },
    ]);
    expect(p.platform.forwardings.map((f) => f.role)).toEqual([
      role('platform', 'quanta-platform-forward-orders'),
    ]);
  });

  it('reads the platform API ids by name beside the platform and by shared ARN elsewhere', () => {
    const p = plan(manifests, threeAccounts);
    expect(functionOf(p, 'identity', 'api')?.triggers).toContainEqual({
      kind: 'httpRoutes',
      routes: ['ANY /identity', 'ANY /identity/{proxy+}', 'GET /identity/.well-known/jwks.json'],
      apiId: { parameter: '/quanta/platform/http-api-id' },
    });
    const shared = { account: '111111111111', region: 'eu-west-1' };
    expect(functionOf(p, 'orders', 'api')?.triggers[0]).toMatchObject({
      kind: 'httpRoutes',
      apiId: { parameter: '/quanta/platform/http-api-id', shared },
    });
    expect(functionOf(p, 'orders', 'renamed')?.triggers).toContainEqual({
      kind: 'webSocketRoutes',
      routeKeys: ['$connect', 'send'],
      apiId: { parameter: '/quanta/platform/websocket-api-id', shared },
    });
    expect(p.platform.httpApi).toMatchObject({
      idParameter: '/quanta/platform/http-api-id',
      shareWithAccounts: ['333333333333'],
    });
    expect(p.platform.webSocketApi).toMatchObject({
      idParameter: '/quanta/platform/websocket-api-id',
      shared,
    });
  });

  it('refuses a quantum behind the HTTP API in another account when the platform’s account is unknown', () => {
    expect(() =>
      plan(
        manifests,
        registry({
          platform: {},
          identity: { account: '222222222222', region: 'eu-west-1' },
          catalog: {},
          orders: {},
        }),
      ),
    ).toThrow(
      /'identity' serves routes of the platform HTTP API from another account or region than the platform/,
    );
  });

  it('refuses a region that leaves a role name longer than IAM allows, naming the role', () => {
    const at = { account: '111111111111', region: 'xx-extraordinarilylongname-1' };
    expect(() =>
      plan(
        manifests,
        registry(
          { platform: at, identity: at, catalog: at, orders: at },
          { 'quanta:prefix': 'a-rather-long-prefix' },
        ),
      ),
    ).toThrow(
      "Role name 'a-rather-long-prefix-platform-authorizer-xx-extraordinarilylongname-1' (quantum 'platform') is longer than IAM's 64 characters",
    );
  });
});
