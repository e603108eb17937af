import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayErrorReport, HttpGateway } from '../HttpGateway';
import { FakeFunctionTimeout, type FakeInvoker } from './FakeInvoker';
import { standardAuthorizer, startGateway, USER_CONTEXT, VALID_TOKEN } from './fixtures';
import { rawRequest } from './rawRequest';

const AUTHORIZER = 'platform.authorizer';

describe('HttpGateway authorizer', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;
  const errors: GatewayErrorReport[] = [];

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({
      authorizerCacheTtlSeconds: 0,
      authorizerTimeoutMs: 200,
      onError: (report) => errors.push(report),
    }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => {
    invoker.reset();
    errors.length = 0;
  });
  // Some tests replace the authorizer.
  afterEach(() => invoker.on(AUTHORIZER, standardAuthorizer));

  it('answers 401 without invoking the authorizer or the function when Authorization is missing', async () => {
    // Arrange
    const authorizerCalls = gateway.invocationCount(AUTHORIZER);
    const functionCalls = gateway.invocationCount('shop.api');

    // Act
    const res = await fetch(`${url}/shop/orders`, { method: 'POST' });

    // Assert
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    expect(gateway.invocationCount(AUTHORIZER)).toBe(authorizerCalls);
    expect(gateway.invocationCount('shop.api')).toBe(functionCalls);
  });

  it('answers 401 without invoking the authorizer when Authorization is empty', async () => {
    // Act
    const res = await rawRequest(url, { path: '/shop/orders', headers: ['Authorization', ''] });

    // Assert
    expect(res.status).toBe(401);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(0);
  });

  it('answers 403 Forbidden and never invokes the function when the authorizer denies', async () => {
    // Act
    const res = await fetch(`${url}/shop/orders`, { headers: { authorization: 'Bearer someone-else' } });

    // Assert
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1);
    expect(invoker.eventsOf('shop.api')).toHaveLength(0);
  });

  it('answers 500 and never invokes the function when the authorizer throws', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () => {
      throw new TypeError('jwks unreachable');
    });

    // Act
    const res = await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    expect(invoker.eventsOf('shop.api')).toHaveLength(0);
    expect(errors).toEqual([
      expect.objectContaining({
        statusCode: 500,
        reason: expect.stringContaining('TypeError: jwks unreachable'),
      }),
    ]);
  });

  it('answers 500 when the authorizer times out', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () => {
      throw new FakeFunctionTimeout();
    });

    // Act
    const res = await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(res.status).toBe(500);
    expect(invoker.eventsOf('shop.api')).toHaveLength(0);
  });

  it('answers 500 when the gateway stops waiting for a slow authorizer', async () => {
    // Arrange: slower than authorizerTimeoutMs (200 ms here, 10 s on AWS)
    invoker.on(
      AUTHORIZER,
      () => new Promise((resolve) => setTimeout(() => resolve({ isAuthorized: true }), 400)),
    );

    // Act
    const res = await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(res.status).toBe(500);
    expect(errors[0]?.reason).toMatch(/timed out after 200 ms/);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'allow'],
    ['true', true],
    [
      'an IAM policy instead of a simple response',
      { principalId: 'u', policyDocument: { Version: '2012-10-17' } },
    ],
    ['isAuthorized as a string', { isAuthorized: 'true' }],
    ['isAuthorized as a number', { isAuthorized: 1 }],
    ['a context that is not an object', { isAuthorized: true, context: 'u-1' }],
    ['a context that is an array', { isAuthorized: true, context: ['u-1'] }],
  ])('answers 500 and never invokes the function when the authorizer returns %s', async (_label, payload) => {
    // Arrange
    invoker.on(AUTHORIZER, () => payload);

    // Act
    const res = await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    expect(invoker.eventsOf('shop.api')).toHaveLength(0);
  });

  it('puts the authorizer context under requestContext.authorizer.lambda when it allows', async () => {
    // Act
    const res = await fetch(`${url}/shop/orders/o-1`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(res.status).toBe(200);
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.requestContext.authorizer).toEqual({ lambda: USER_CONTEXT });
  });

  it('passes a null lambda context when the authorizer allows without a context', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () => ({ isAuthorized: true }));

    // Act
    await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.requestContext.authorizer).toEqual({ lambda: null });
  });

  it('ignores identity a client claims in headers or in the body', async () => {
    // Arrange
    const forged = { requestContext: { authorizer: { lambda: { userId: 'attacker', roles: ['admin'] } } } };

    // Act
    const res = await fetch(`${url}/shop/orders`, {
      method: 'POST',
      headers: {
        authorization: VALID_TOKEN,
        'x-user-id': 'attacker',
        'x-roles': 'admin',
        'x-amzn-authorizer': '{"lambda":{"userId":"attacker"}}',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...forged, authorizer: { lambda: { userId: 'attacker' } } }),
    });

    // Assert
    expect(res.status).toBe(200);
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.requestContext.authorizer).toEqual({ lambda: USER_CONTEXT });
  });

  it('gives a public route no authorizer context whatever identity headers the client sends', async () => {
    // Act
    await fetch(`${url}/shop/products`, { headers: { 'x-user-id': 'attacker', authorization: VALID_TOKEN } });

    // Assert
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(0);
  });

  it('still answers 401 to a client that sends identity headers but no Authorization', async () => {
    const res = await fetch(`${url}/shop/orders`, { headers: { 'x-user-id': 'u-1' } });
    expect(res.status).toBe(401);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(0);
  });
});

describe('HttpGateway authorizer cache', () => {
  const TTL_SECONDS = 60;
  let now = 1_700_000_000_000;
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({
      authorizerCacheTtlSeconds: TTL_SECONDS,
      now: () => now,
    }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => {
    gateway.resetAuthorizerCache();
    invoker.reset();
  });
  afterEach(() => invoker.on(AUTHORIZER, standardAuthorizer));

  const call = (token: string): Promise<Response> =>
    fetch(`${url}/shop/orders`, { headers: { authorization: token } });

  it('invokes the authorizer once for two requests with the same token within the TTL', async () => {
    // Act
    const first = await call(VALID_TOKEN);
    now += (TTL_SECONDS - 1) * 1000;
    const second = await call(VALID_TOKEN);

    // Assert
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1);
    expect(invoker.eventsOf('shop.api')).toHaveLength(2);
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.requestContext.authorizer).toEqual({ lambda: USER_CONTEXT });
  });

  it('invokes the authorizer once for 20 concurrent first requests with the same token', async () => {
    // Arrange: the authorizer answers only after every request has arrived
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    invoker.on(AUTHORIZER, async (event) => {
      await released;
      return standardAuthorizer(event);
    });

    // Act
    const responses = Array.from({ length: 20 }, () => call(VALID_TOKEN));
    await vi.waitFor(() => expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const statuses = (await Promise.all(responses)).map((res) => res.status);

    // Assert
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1);
    expect(invoker.eventsOf('shop.api')).toHaveLength(20);
  });

  it('invokes the authorizer again once the TTL has passed', async () => {
    // Act
    await call(VALID_TOKEN);
    now += TTL_SECONDS * 1000;
    await call(VALID_TOKEN);

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(2);
  });

  it('caches a deny like an allow, so a cached deny outlives a change of the authorizer mind', async () => {
    // Act
    const first = await call('Bearer revoked');
    invoker.on(AUTHORIZER, () => ({ isAuthorized: true, context: USER_CONTEXT }));
    const second = await call('Bearer revoked');

    // Assert
    expect([first.status, second.status]).toEqual([403, 403]);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1);
    expect(invoker.eventsOf('shop.api')).toHaveLength(0);
  });

  it('serves a cached allow until the TTL even after the authorizer would deny (as AWS does after a logout)', async () => {
    // Act
    await call(VALID_TOKEN);
    invoker.on(AUTHORIZER, () => ({ isAuthorized: false }));
    const cached = await call(VALID_TOKEN);
    now += TTL_SECONDS * 1000;
    const fresh = await call(VALID_TOKEN);

    // Assert
    expect([cached.status, fresh.status]).toEqual([200, 403]);
  });

  it('keys the cache by the identity source value', async () => {
    // Act
    await call(VALID_TOKEN);
    await call('Bearer other');
    await call(VALID_TOKEN);
    await call('Bearer other');

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(2);
  });

  it('shares the cached result across routes of the API', async () => {
    // Act
    await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });
    await fetch(`${url}/realtime/tickets`, { method: 'POST', headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1);
    expect(invoker.eventsOf('platform.api')).toHaveLength(1);
  });

  it('never caches an authorizer failure', async () => {
    // Arrange
    invoker.on(AUTHORIZER, () => {
      throw new Error('boom');
    });

    // Act
    const failed = await call(VALID_TOKEN);
    invoker.on(AUTHORIZER, () => ({ isAuthorized: true, context: USER_CONTEXT }));
    const recovered = await call(VALID_TOKEN);

    // Assert
    expect([failed.status, recovered.status]).toEqual([500, 200]);
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(2);
  });

  it('keeps one cache per API', async () => {
    // Arrange
    const other = await startGateway({ invoker, now: () => now });

    try {
      // Act
      await call(VALID_TOKEN);
      await fetch(`${other.url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

      // Assert
      expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(2);
    } finally {
      await other.gateway.stop();
    }
  });
});

describe('HttpGateway authorizer cache disabled', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({ authorizerCacheTtlSeconds: 0 }));
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('invokes the authorizer for every request when the TTL is 0', async () => {
    // Act
    for (let i = 0; i < 3; i++)
      await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(3);
  });
});
