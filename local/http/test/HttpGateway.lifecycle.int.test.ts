import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GatewayConfigurationError, GatewayStateError, HttpGatewayError } from '../errors';
import { HttpGateway } from '../HttpGateway';
import { routes, standardInvoker, startGateway, VALID_TOKEN } from './fixtures';

describe('HttpGateway lifecycle', () => {
  it('stops promptly even with an idle keep-alive connection open', async () => {
    // Arrange
    const { gateway, url } = await startGateway();
    const agent = new Agent({ keepAlive: true });
    // Resolves once the response has been read and its socket is idle in the agent's pool.
    const idle = new Promise<{ closed: Promise<void> }>((resolve) => {
      const req = request(`${url}/shop/products`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const socket = req.socket;
          const closed = new Promise<void>((done) => socket?.once('close', () => done()));
          setImmediate(() => resolve({ closed }));
        });
      });
      req.end();
    });
    const { closed } = await idle;

    // Act
    const started = performance.now();
    await gateway.stop();
    await closed;
    const elapsed = performance.now() - started;

    // Assert: the server's keep-alive timeout is 5 s; stop must not wait for it
    expect(elapsed).toBeLessThan(1000);
    agent.destroy();
  });

  it('stops promptly while a request is still waiting for its function', async () => {
    // Arrange
    const invoker = standardInvoker().on('shop.api', () => new Promise(() => {}));
    const { gateway, url } = await startGateway({ invoker });
    const pending = fetch(`${url}/shop/products`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Act
    const started = performance.now();
    await gateway.stop();

    // Assert
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('reports its URL while started and can be started again after a stop', async () => {
    // Arrange
    const { gateway, url } = await startGateway();
    expect(gateway.url).toBe(url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Act
    await gateway.stop();
    const again = await gateway.start();

    // Assert
    expect((await fetch(`${again.url}/shop/products`)).status).toBe(200);
    await gateway.stop();
    expect(gateway.url).toBeUndefined();
  });

  it('refuses to start twice', async () => {
    // Arrange
    const { gateway } = await startGateway();

    try {
      // Act / Assert
      await expect(gateway.start()).rejects.toBeInstanceOf(GatewayStateError);
    } finally {
      await gateway.stop();
    }
  });

  it('fails to start on a port in use, with the port in the message', async () => {
    // Arrange
    const { gateway, url } = await startGateway();
    const port = Number(new URL(url).port);
    const second = new HttpGateway({ routes, invoker: standardInvoker(), port });

    try {
      // Act / Assert
      await expect(second.start()).rejects.toThrow(HttpGatewayError);
      await expect(second.start()).rejects.toThrow(`127.0.0.1:${port}`);
    } finally {
      await gateway.stop();
    }
  });

  it.each([
    [{ authorizerCacheTtlSeconds: 3601 }, /authorizerCacheTtlSeconds.*0 to 3600, got 3601/],
    [{ authorizerCacheTtlSeconds: 1.5 }, /authorizerCacheTtlSeconds.*got 1.5/],
    [{ integrationTimeoutMs: 30_001 }, /integrationTimeoutMs.*50 to 30000, got 30001/],
    [{ accountId: '42' }, /accountId.*got '42'/],
    [{ apiId: 'Has Spaces' }, /apiId.*got 'Has Spaces'/],
  ])('rejects invalid options %o with a message naming the bad value', (options, message) => {
    expect(() => new HttpGateway({ routes, invoker: standardInvoker(), ...options })).toThrow(
      GatewayConfigurationError,
    );
    expect(() => new HttpGateway({ routes, invoker: standardInvoker(), ...options })).toThrow(message);
  });

  it('tells the onInvoke listener and the counters about every invocation', async () => {
    // Arrange
    const seen: string[] = [];
    const { gateway, url } = await startGateway({ onInvoke: (functionId) => seen.push(functionId) });

    try {
      // Act
      await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });
      await fetch(`${url}/shop/orders`, { headers: { authorization: VALID_TOKEN } });

      // Assert
      expect(seen).toEqual(['platform.authorizer', 'shop.api', 'shop.api']);
      expect(Object.fromEntries(gateway.invocationCounts())).toEqual({
        'platform.authorizer': 1,
        'shop.api': 2,
      });
    } finally {
      await gateway.stop();
    }
  });

  it('lists the routes it serves', () => {
    const gateway = new HttpGateway({ routes, invoker: standardInvoker() });
    expect(gateway.routes.map((r) => r.routeKey)).toContain('ANY /realtime/{proxy+}');
  });
});
