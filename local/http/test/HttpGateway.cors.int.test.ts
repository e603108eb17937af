import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpApiCorsConfiguration } from '../HttpApiCors';
import type { HttpGateway } from '../HttpGateway';
import type { GatewayRoute, RouteMethod } from '../RouteTable';
import type { FakeInvoker } from './FakeInvoker';
import { routes as anyRoutes, echoRouteKey, startGateway, VALID_TOKEN } from './fixtures';
import { rawRequest } from './rawRequest';

const WEB = 'http://127.0.0.1:5173';
const cors: HttpApiCorsConfiguration = {
  allowOrigins: [WEB],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  exposeHeaders: ['retry-after'],
  maxAgeSeconds: 600,
  allowCredentials: false,
};
const route = (method: RouteMethod, path: string, authorized: boolean): GatewayRoute => ({
  routeKey: `${method} ${path}`,
  method,
  path,
  quantum: 'shop',
  functionId: 'shop.api',
  authorized,
});
/** The routes the plan gives an API with CORS: the authorized catch-all names each method, not ANY. */
const corsRoutes: GatewayRoute[] = [
  ...(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).flatMap((m) => [
    route(m, '/shop', true),
    route(m, '/shop/{proxy+}', true),
  ]),
  route('GET', '/shop/products', false),
];
const preflightHeaders = (origin: string): string[] => [
  'Origin',
  origin,
  'Access-Control-Request-Method',
  'POST',
  'Access-Control-Request-Headers',
  'authorization,content-type,idempotency-key',
];

describe('HttpGateway with a CORS configuration', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({ routes: corsRoutes, cors }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => invoker.reset());
  // Some tests replace the function.
  afterEach(() => invoker.on('shop.api', echoRouteKey));
  const invoked = (): number[] => [
    invoker.eventsOf('platform.authorizer').length,
    invoker.eventsOf('shop.api').length,
  ];

  it('answers a preflight itself with 204 and the CORS headers, invoking neither the authorizer nor a function', async () => {
    const res = await rawRequest(url, {
      method: 'OPTIONS',
      path: '/shop/orders',
      headers: preflightHeaders(WEB),
    });

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': WEB,
      'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE',
      'access-control-allow-headers': 'authorization,content-type,idempotency-key',
      'access-control-max-age': '600',
      vary: 'origin',
      'apigw-requestid': expect.any(String),
    });
    expect(invoked()).toEqual([0, 0]);
  });

  it('answers a preflight from another origin with 204 and no CORS header, invoking nothing', async () => {
    const res = await rawRequest(url, {
      method: 'OPTIONS',
      path: '/shop/orders',
      headers: preflightHeaders('https://evil.example'),
    });

    expect(res.status).toBe(204);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(invoked()).toEqual([0, 0]);
  });

  it('routes an OPTIONS that is no preflight like any request: no route, 404, no CORS header', async () => {
    const res = await rawRequest(url, { method: 'OPTIONS', path: '/shop/orders', headers: ['Origin', WEB] });

    expect(res.status).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds its CORS headers to the function’s response of an allowed origin, in place of the function’s own', async () => {
    invoker.on('shop.api', () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'Access-Control-Allow-Origin': '*' },
      body: '{}',
    }));

    const res = await rawRequest(url, {
      path: '/shop/orders/o-1',
      headers: ['Origin', WEB, 'Authorization', VALID_TOKEN],
    });

    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': WEB,
      'access-control-expose-headers': 'retry-after',
      vary: 'origin',
    });
    expect(invoked()).toEqual([1, 1]);
  });

  it('adds them to its own error responses too, so a browser can read a 401', async () => {
    const res = await rawRequest(url, { path: '/shop/orders', headers: ['Origin', WEB] });

    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(WEB);
  });

  it('drops a function’s CORS headers for an origin it does not allow', async () => {
    invoker.on('shop.api', () => ({
      statusCode: 200,
      headers: { 'access-control-allow-origin': '*' },
      body: '',
    }));

    const res = await rawRequest(url, {
      path: '/shop/products',
      headers: ['Origin', 'https://evil.example'],
    });

    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('HttpGateway routes a preflight as API Gateway does', () => {
  it('lets an ANY route take a preflight, so its authorizer answers 401 (why the plan names methods with CORS)', async () => {
    const { gateway, url, invoker } = await startGateway({ routes: anyRoutes, cors });
    try {
      const res = await rawRequest(url, {
        method: 'OPTIONS',
        path: '/shop/orders',
        headers: preflightHeaders(WEB),
      });

      expect(res.status).toBe(401);
      expect(invoker.eventsOf('shop.api')).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it('passes a function’s CORS headers through untouched when the API has no CORS', async () => {
    const { gateway, url, invoker } = await startGateway({ routes: corsRoutes });
    invoker.on('shop.api', () => ({
      statusCode: 200,
      headers: { 'access-control-allow-origin': '*' },
      body: '',
    }));
    try {
      const preflight = await rawRequest(url, {
        method: 'OPTIONS',
        path: '/shop/orders',
        headers: preflightHeaders(WEB),
      });
      const res = await rawRequest(url, { path: '/shop/products', headers: ['Origin', WEB] });

      expect(preflight.status).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await gateway.stop();
    }
  });
});
