import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayErrorReport, HttpGateway } from '../HttpGateway';
import { FakeFunctionTimeout, FakeInvoker } from './FakeInvoker';
import { echoRouteKey, startGateway, VALID_TOKEN } from './fixtures';
import { rawRequest } from './rawRequest';

const API = 'shop.api';

describe('HttpGateway responses', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;
  const errors: GatewayErrorReport[] = [];

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({
      integrationTimeoutMs: 150,
      maxPayloadBytes: 1024,
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
  // Most tests replace the function.
  afterEach(() => invoker.on(API, echoRouteKey));

  const get = (path = '/shop/products'): Promise<Response> => fetch(`${url}${path}`);

  it('sends a structured response with its status, headers and one set-cookie per cookie', async () => {
    // Arrange
    invoker.on(API, () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', 'X-Version': 2 },
      cookies: ['session=abc; HttpOnly', 'theme=dark'],
      body: 'created',
    }));

    // Act
    const res = await rawRequest(url, { path: '/shop/products' });

    // Assert
    expect(res.status).toBe(201);
    expect(res.text).toBe('created');
    expect(res.headers).toMatchObject({
      'content-type': 'text/plain',
      'x-version': '2',
      'set-cookie': ['session=abc; HttpOnly', 'theme=dark'],
      'apigw-requestid': expect.any(String),
    });
  });

  it('sends a plain object without statusCode as 200 application/json', async () => {
    // Arrange
    invoker.on(API, () => ({ message: 'Hello from Lambda!' }));

    // Act
    const res = await get();

    // Assert
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'Hello from Lambda!' });
  });

  it('sends a returned string as the body of a 200', async () => {
    invoker.on(API, () => 'Hello from Lambda!');
    const res = await get();
    expect([res.status, await res.text()]).toEqual([200, 'Hello from Lambda!']);
  });

  it('decodes a base64 body into the bytes it stands for', async () => {
    // Arrange
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    invoker.on(API, () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: png.toString('base64'),
      isBase64Encoded: true,
    }));

    // Act
    const res = await rawRequest(url, { path: '/shop/products' });

    // Assert
    expect(res.body).toEqual(png);
    expect(res.headers['content-length']).toBe(String(png.length));
  });

  it('answers 500 Internal Server Error when the function throws', async () => {
    // Arrange
    invoker.on(API, () => {
      throw new Error('database down');
    });

    // Act
    const res = await get();

    // Assert
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    expect(errors[0]?.reason).toContain('Error: database down');
  });

  it('answers 500 Internal Server Error when the function times out, as API Gateway does for a Lambda timeout', async () => {
    // Arrange
    invoker.on(API, () => {
      throw new FakeFunctionTimeout();
    });

    // Act
    const res = await get();

    // Assert
    expect(res.status).toBe(500);
    expect(errors[0]?.reason).toContain('Sandbox.Timedout');
  });

  it('answers 503 Service Unavailable when the integration outlasts the integration timeout', async () => {
    // Arrange: slower than integrationTimeoutMs (150 ms here, 30 s on AWS)
    invoker.on(API, () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 600)));

    // Act
    const res = await get();

    // Assert
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 500 when the function returns a malformed structured response', async () => {
    invoker.on(API, () => ({ statusCode: 'ok', body: 1 }));
    const res = await get();
    expect(res.status).toBe(500);
  });

  it('answers 500 when the function returns a header that HTTP cannot carry', async () => {
    invoker.on(API, () => ({ statusCode: 200, headers: { 'bad header': 'x' } }));
    const res = await get();
    expect(res.status).toBe(500);
  });

  it('answers 413 without invoking anything when the declared body exceeds the payload limit', async () => {
    // Act
    const res = await rawRequest(url, {
      method: 'POST',
      path: '/shop/orders',
      headers: ['Authorization', VALID_TOKEN, 'Content-Type', 'application/json', 'Content-Length', '1025'],
      body: Buffer.alloc(1025, 0x61),
    });

    // Assert
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ message: 'Request Entity Too Large' });
    expect(invoker.eventsOf('platform.authorizer')).toHaveLength(0);
    expect(invoker.eventsOf(API)).toHaveLength(0);
  });

  it('answers 413 when a chunked body grows past the payload limit', async () => {
    // Act
    const res = await rawRequest(url, {
      method: 'POST',
      path: '/shop/orders',
      headers: ['Authorization', VALID_TOKEN],
      chunks: [Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)],
    });

    // Assert
    expect(res.status).toBe(413);
    expect(invoker.eventsOf(API)).toHaveLength(0);
  });

  it('accepts a body of exactly the payload limit', async () => {
    // Act
    const res = await rawRequest(url, {
      method: 'POST',
      path: '/shop/orders',
      headers: ['Authorization', VALID_TOKEN, 'Content-Type', 'text/plain', 'Content-Length', '1024'],
      body: Buffer.alloc(1024, 0x61),
    });

    // Assert
    expect(res.status).toBe(200);
    expect((invoker.lastEventOf(API) as { body: string }).body).toHaveLength(1024);
  });

  it('refuses headers beyond the HTTP API quota of 10240 bytes without invoking anything', async () => {
    // Act
    const within = await fetch(`${url}/shop/products`, { headers: { 'x-big': 'a'.repeat(9000) } });
    const beyond = await fetch(`${url}/shop/products`, { headers: { 'x-big': 'a'.repeat(12_000) } });

    // Assert
    expect([within.status, beyond.status]).toEqual([200, 431]);
    expect(invoker.eventsOf(API)).toHaveLength(1);
  });

  it('answers 500 when the invoker cannot run the function at all', async () => {
    // Arrange: an invoker that knows no function rejects every invocation
    const broken = await startGateway({ invoker: new FakeInvoker() });

    try {
      // Act
      const res = await fetch(`${broken.url}/shop/products`);

      // Assert
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      await broken.gateway.stop();
    }
  });
});

describe('HttpGateway payload quota', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway());
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('rejects a body over the HTTP API quota of 10 MB with 413 by default', async () => {
    // Act
    const res = await rawRequest(url, {
      method: 'POST',
      path: '/shop/products',
      headers: ['Content-Type', 'application/octet-stream', 'Content-Length', String(10 * 1024 * 1024 + 1)],
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });

    // Assert
    expect(res.status).toBe(413);
    expect(invoker.eventsOf(API)).toHaveLength(0);
  });
});
