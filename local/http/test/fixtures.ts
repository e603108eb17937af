import { defineQuantum } from '@quanta/runtime/manifest';
import { HttpGateway, type HttpGatewayOptions } from '../HttpGateway';
import type { GatewayRoute, RouteMethod } from '../RouteTable';
import { type FakeHandler, FakeInvoker } from './FakeInvoker';

/** A quantum with public routes (literal and with a variable) and authenticated ones. */
export const shop = defineQuantum({
  name: 'shop',
  dir: '/quanta/shop',
  table: {},
  functions: { api: { entry: 'handlers/api.ts' } },
  routes: [
    { method: 'GET', path: '/shop/products', access: 'public' },
    { method: 'GET', path: '/shop/products/{id}', access: 'public' },
    { method: 'POST', path: '/shop/orders', access: 'authenticated' },
    { method: 'GET', path: '/shop/orders/{id}', access: { role: 'admin' } },
  ],
});

/** The platform: the authorizer, and an `api` under a base path that is not its name. */
export const platform = defineQuantum({
  name: 'platform',
  dir: '/quanta/platform',
  basePath: '/realtime',
  table: {},
  functions: { authorizer: { entry: 'handlers/authorizer.ts' }, api: { entry: 'handlers/api.ts' } },
  routes: [{ method: 'POST', path: '/realtime/tickets', access: 'authenticated' }],
});

/** A quantum with no `api` function, hence no routes. */
export const ledger = defineQuantum({
  name: 'ledger',
  dir: '/quanta/ledger',
  table: {},
  functions: { worker: { entry: 'handlers/worker.ts' } },
});

export const manifests = { platform, shop, ledger };

/**
 * The routes of {@link manifests} as the platform's HTTP API declares them: per quantum with an
 * `api` function, `ANY {basePath}` and `ANY {basePath}/{proxy+}` behind the authorizer, plus each
 * public route without it.
 */
export const routes: readonly GatewayRoute[] = [
  route('platform', 'ANY', '/realtime', true),
  route('platform', 'ANY', '/realtime/{proxy+}', true),
  route('shop', 'ANY', '/shop', true),
  route('shop', 'ANY', '/shop/{proxy+}', true),
  route('shop', 'GET', '/shop/products', false),
  route('shop', 'GET', '/shop/products/{id}', false),
];

function route(quantum: string, method: RouteMethod, path: string, authorized: boolean): GatewayRoute {
  return { routeKey: `${method} ${path}`, method, path, quantum, functionId: `${quantum}.api`, authorized };
}

export const VALID_TOKEN = 'Bearer valid-token';
export const USER_CONTEXT = { userId: 'u-1', roles: ['customer'], sessionId: 's-1' };

/** An authorizer that allows {@link VALID_TOKEN} with {@link USER_CONTEXT} and denies anything else. */
export const standardAuthorizer: FakeHandler = (event) =>
  (event as { identitySource: string[] }).identitySource[0] === VALID_TOKEN
    ? { isAuthorized: true, context: USER_CONTEXT }
    : { isAuthorized: false };

/** An `api` function answering 200 with the route key it was called through. */
export const echoRouteKey: FakeHandler = (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ routeKey: (event as { routeKey: string }).routeKey }),
});

/** The fake invoker with {@link standardAuthorizer} and {@link echoRouteKey} as every `api` function. */
export function standardInvoker(): FakeInvoker {
  return new FakeInvoker({
    'platform.authorizer': standardAuthorizer,
    'shop.api': echoRouteKey,
    'platform.api': echoRouteKey,
  });
}

/** A started gateway on a free port with the standard fake invoker unless given another. */
export async function startGateway(
  options: Partial<HttpGatewayOptions> = {},
): Promise<{ gateway: HttpGateway; url: string; invoker: FakeInvoker }> {
  const invoker = options.invoker instanceof FakeInvoker ? options.invoker : standardInvoker();
  const gateway = new HttpGateway({ routes, port: 0, ...options, invoker });
  const { url } = await gateway.start();
  return { gateway, url, invoker };
}
