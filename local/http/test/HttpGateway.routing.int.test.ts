import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpGateway } from '../HttpGateway';
import type { FakeInvoker } from './FakeInvoker';
import { startGateway, VALID_TOKEN } from './fixtures';

describe('HttpGateway routing', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({ authorizerCacheTtlSeconds: 0 }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => invoker.reset());

  it('serves a public route through its explicit route without calling the authorizer', async () => {
    // Act
    const res = await fetch(`${url}/shop/products`);

    // Assert
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ routeKey: 'GET /shop/products' });
    expect(invoker.eventsOf('platform.authorizer')).toHaveLength(0);
  });

  it('serves a public route with a path variable through its explicit route', async () => {
    const res = await fetch(`${url}/shop/products/p-7`);
    expect(await res.json()).toEqual({ routeKey: 'GET /shop/products/{id}' });
    expect(invoker.lastEventOf('shop.api')).toMatchObject({ pathParameters: { id: 'p-7' } });
  });

  it('sends a public path called with another method through the authorized proxy route', async () => {
    // Act
    const res = await fetch(`${url}/shop/products`, { method: 'POST' });

    // Assert
    expect(res.status).toBe(401);
    expect(invoker.eventsOf('shop.api')).toHaveLength(0);
  });

  it('guards authenticated routes with the authorizer through the proxy route', async () => {
    // Act
    const res = await fetch(`${url}/shop/orders`, {
      method: 'POST',
      headers: { authorization: VALID_TOKEN },
    });

    // Assert
    expect(await res.json()).toEqual({ routeKey: 'ANY /shop/{proxy+}' });
    expect(invoker.eventsOf('platform.authorizer')).toHaveLength(1);
  });

  it('routes the bare base path to ANY {basePath} behind the authorizer', async () => {
    // Act
    const anonymous = await fetch(`${url}/shop`);
    const authenticated = await fetch(`${url}/shop`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(anonymous.status).toBe(401);
    expect(await authenticated.json()).toEqual({ routeKey: 'ANY /shop' });
  });

  it('routes a base path that differs from the quantum name to that quantum', async () => {
    const res = await fetch(`${url}/realtime/tickets`, {
      method: 'POST',
      headers: { authorization: VALID_TOKEN },
    });
    expect(await res.json()).toEqual({ routeKey: 'ANY /realtime/{proxy+}' });
    expect(invoker.eventsOf('platform.api')).toHaveLength(1);
  });

  it.each(['/nowhere', '/shopping', '/', '/ledger', '/platform'])(
    'answers 404 Not Found for %s, outside every route, invoking nothing',
    async (path) => {
      // Act
      const res = await fetch(`${url}${path}`, { headers: { authorization: VALID_TOKEN } });

      // Assert
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
      expect(await res.json()).toEqual({ message: 'Not Found' });
      expect(invoker.eventsOf('platform.authorizer')).toHaveLength(0);
    },
  );
});
