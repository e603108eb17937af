import {
  APIGatewayProxyEventV2Schema,
  APIGatewayRequestAuthorizerEventV2Schema,
} from '@aws-lambda-powertools/parser/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpGateway } from '../HttpGateway';
import type { RequestIdSource } from '../RequestIds';
import type { FakeInvoker } from './FakeInvoker';
import { startGateway, USER_CONTEXT, VALID_TOKEN } from './fixtures';
import { rawRequest } from './rawRequest';

const NOW = 1_583_348_638_390;

/** Sequential ids, so each request's id is known. */
class CountingIds implements RequestIdSource {
  #n = 0;
  requestId(): string {
    this.#n += 1;
    return `REQ${String(this.#n).padStart(12, '0')}=`;
  }
  traceId(): string {
    return 'Root=1-5e5ff69e-000000000000000000000001';
  }
}

describe('HttpGateway events', () => {
  let gateway: HttpGateway;
  let url: string;
  let invoker: FakeInvoker;

  beforeAll(async () => {
    ({ gateway, url, invoker } = await startGateway({
      authorizerCacheTtlSeconds: 0,
      now: () => NOW,
      ids: new CountingIds(),
      accountId: '123456789012',
      region: 'eu-west-1',
      apiId: 'abc123xyz',
    }));
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => invoker.reset());

  it('hands the route function a payload format 2.0 event that Powertools parses', async () => {
    // Arrange
    const headers = [
      ...['Authorization', VALID_TOKEN, 'Content-Type', 'application/json', 'Content-Length', '13'],
      ...['User-Agent', 'vitest/5', 'X-Dup', 'one', 'X-Dup', 'two'],
      ...['Cookie', 'c1=v1; c2=v2', 'Cookie', 'c3=v3'],
    ];

    // Act
    const res = await rawRequest(url, {
      method: 'POST',
      path: '/shop/orders?b=2&a=1&a=x%20y&flag',
      headers,
      body: '{"sku":"p-1"}',
    });

    // Assert
    expect(res.status).toBe(200);
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /shop/{proxy+}',
      rawPath: '/shop/orders',
      rawQueryString: 'b=2&a=1&a=x%20y&flag',
      cookies: ['c1=v1', 'c2=v2', 'c3=v3'],
      queryStringParameters: { a: '1,x y', b: '2', flag: '' },
      pathParameters: { proxy: 'orders' },
      body: '{"sku":"p-1"}',
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      authorization: VALID_TOKEN,
      'content-type': 'application/json',
      'content-length': '13',
      'user-agent': 'vitest/5',
      'x-dup': 'one,two',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': new URL(url).port,
      'x-amzn-trace-id': 'Root=1-5e5ff69e-000000000000000000000001',
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toEqual({
      accountId: '123456789012',
      apiId: 'abc123xyz',
      authorizer: { lambda: USER_CONTEXT },
      domainName: new URL(url).host,
      domainPrefix: '127',
      http: {
        method: 'POST',
        path: '/shop/orders',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest/5',
      },
      requestId: res.headers['apigw-requestid'],
      routeKey: 'ANY /shop/{proxy+}',
      stage: '$default',
      time: '04/Mar/2020:19:03:58 +0000',
      timeEpoch: NOW,
    });
  });

  it('hands the authorizer a REQUEST event with the route ARN and identity source that Powertools parses', async () => {
    // Act
    const res = await rawRequest(url, {
      path: '/shop/orders/o-1?x=1',
      headers: ['Authorization', VALID_TOKEN, 'Cookie', 'c1=v1'],
    });

    // Assert
    const event = APIGatewayRequestAuthorizerEventV2Schema.parse(invoker.lastEventOf('platform.authorizer'));
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123xyz/$default/GET/shop/orders/o-1',
      identitySource: [VALID_TOKEN],
      routeKey: 'ANY /shop/{proxy+}',
      rawPath: '/shop/orders/o-1',
      rawQueryString: 'x=1',
      cookies: ['c1=v1'],
      queryStringParameters: { x: '1' },
      pathParameters: { proxy: 'orders/o-1' },
    });
    expect(event.headers).toMatchObject({ authorization: VALID_TOKEN });
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.requestContext.requestId).toBe(res.headers['apigw-requestid']);
    expect(invoker.lastEventOf('platform.authorizer')).not.toHaveProperty('body');
  });

  it('gives the authorizer and the function the same request id', async () => {
    // Act
    await rawRequest(url, { path: '/shop', headers: ['Authorization', VALID_TOKEN] });

    // Assert
    const authorizerEvent = APIGatewayRequestAuthorizerEventV2Schema.parse(
      invoker.lastEventOf('platform.authorizer'),
    );
    const functionEvent = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(functionEvent.requestContext.requestId).toBe(authorizerEvent.requestContext.requestId);
    expect(functionEvent.routeKey).toBe('ANY /shop');
    expect(functionEvent.pathParameters).toBeUndefined();
  });

  it('omits authorizer, body, cookies and query fields on a bare public request instead of sending null', async () => {
    // Act
    await rawRequest(url, { path: '/shop/products' });

    // Assert
    const raw = invoker.lastEventOf('shop.api') as Record<string, unknown>;
    const event = APIGatewayProxyEventV2Schema.parse(raw);
    expect(event.requestContext.authorizer).toBeUndefined();
    for (const field of ['body', 'cookies', 'queryStringParameters', 'pathParameters', 'stageVariables']) {
      expect(raw).not.toHaveProperty(field);
    }
    expect(event.isBase64Encoded).toBe(false);
  });

  it.each([
    ['application/octet-stream'],
    ['image/png'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    [undefined],
  ])('base64-encodes a %s body and says so', async (contentType) => {
    // Arrange
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x41]);

    // Act
    await rawRequest(url, {
      method: 'PUT',
      path: '/shop/products',
      headers: [
        'Authorization',
        VALID_TOKEN,
        ...(contentType === undefined ? [] : ['Content-Type', contentType]),
      ],
      body: bytes,
    });

    // Assert
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it.each([
    ['text/plain'],
    ['text/html; charset=utf-8'],
    ['application/json; charset=utf-8'],
    ['application/xml'],
    ['application/javascript'],
  ])('passes a %s body as a UTF-8 string', async (contentType) => {
    // Act
    await rawRequest(url, {
      method: 'PUT',
      path: '/shop/products',
      headers: ['Authorization', VALID_TOKEN, 'Content-Type', contentType],
      body: 'héllo',
    });

    // Assert
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event).toMatchObject({ body: 'héllo', isBase64Encoded: false });
  });

  it('appends the client address to an x-forwarded-for the client sent and overrides the forwarded protocol', async () => {
    // Act
    await rawRequest(url, {
      path: '/shop/products',
      headers: ['X-Forwarded-For', '203.0.113.9', 'X-Forwarded-Proto', 'https', 'Host', 'api.example.com'],
    });

    // Assert
    const event = APIGatewayProxyEventV2Schema.parse(invoker.lastEventOf('shop.api'));
    expect(event.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.requestContext).toMatchObject({ domainName: 'api.example.com', domainPrefix: 'api' });
  });
});
