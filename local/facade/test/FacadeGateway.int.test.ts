import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas';
import { FacadeRequestError } from '@quanta/runtime/errors';
import { FacadeClient } from '@quanta/runtime/facade';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeInvoker } from '../../http/test/FakeInvoker';
import { rawRequest } from '../../http/test/rawRequest';
import { type FacadeApiSpec, FacadeGateway } from '../FacadeGateway';
import { LocalPrincipals } from '../LocalPrincipals';
import { rawHeadersOf, type SignOptions, signRequest } from './signedRequest';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';

/** A facade API as the plan declares it: `POST /ops/<name>` per operation, admitting its callers. */
const facadeApi = (quantum: string, operations: Record<string, readonly string[]>): FacadeApiSpec => ({
  quantum,
  apiId: `${quantum}facade`,
  functionId: `${quantum}.facade`,
  operations: new Map(
    Object.entries(operations).map(([name, callers], i) => [
      name,
      { name, resourcePath: `/ops/${name}`, callers, resourceId: `${quantum.slice(0, 3)}op${i}` },
    ]),
  ),
});

// `chat` has credentials but no operation names it: the resource policy must not admit it.
const catalog = facadeApi('catalog', { GetProducts: ['orders'], Ping: ['orders', 'payments'] });
const payments = facadeApi('payments', { GetPayment: ['orders'] });

const okResponse = (event: unknown) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-operation': (event as { path: string }).path },
  body: JSON.stringify({ products: [] }),
});

describe('FacadeGateway', () => {
  const principals = LocalPrincipals.generate(['platform', 'orders', 'catalog', 'payments', 'chat'], {
    accountId: ACCOUNT,
    prefix: 'quanta',
  });
  const invoker = new FakeInvoker({ 'catalog.facade': okResponse, 'payments.facade': okResponse });
  const reports: string[] = [];
  let gateway: FacadeGateway;
  let catalogUrl: string;

  const sign = (url: string, options: Partial<SignOptions> = {}) =>
    signRequest(url, { credentials: principals.credentialsOf('orders'), region: REGION, ...options });
  const send = async (signed: Awaited<ReturnType<typeof signRequest>>, overrides: { body?: string } = {}) =>
    rawRequest(catalogUrl, {
      method: signed.method,
      path: signed.path,
      headers: rawHeadersOf(signed),
      body: overrides.body ?? signed.body,
    });
  const facadeCalls = () => invoker.eventsOf('catalog.facade').length;

  beforeAll(async () => {
    gateway = new FacadeGateway({
      apis: [catalog, payments],
      invoker,
      principals,
      region: REGION,
      accountId: ACCOUNT,
      integrationTimeoutMs: 300,
      onReport: (r) => reports.push(`${r.statusCode} ${r.reason}`),
    });
    await gateway.start();
    catalogUrl = gateway.urlOf('catalog');
  });

  afterAll(async () => {
    await gateway.stop();
  });

  beforeEach(() => {
    invoker.reset();
    invoker.on('catalog.facade', okResponse);
  });

  it('serves each facade under /<quantum>/v1 with no trailing slash, operations below /ops', () => {
    expect(catalogUrl).toBe(`${gateway.url}/catalog/v1`);
    expect(gateway.urlOf('payments')).toBe(`${gateway.url}/payments/v1`);
    expect(() => gateway.urlOf('orders')).toThrow(/Quantum 'orders' has no facade/);
  });

  it('passes a request signed by a registered caller to the facade function and returns its response', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, { body: '{"ids":["p1"]}' });

    const response = await send(signed);

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ products: [] });
    expect(response.headers['x-operation']).toBe('/ops/GetProducts');
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(facadeCalls()).toBe(1);
  });

  it('hands the function a REST proxy event that parses with Powertools and names the signer like AWS_IAM does', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts?debug=1&debug=2`, {
      body: '{"ids":["p1"]}',
      headers: { 'user-agent': 'quanta-facade-client/1', 'x-correlation-id': 'c-1' },
    });

    await send(signed);
    const event = invoker.lastEventOf('catalog.facade');

    expect(APIGatewayProxyEventSchema.safeParse(event).error).toBeUndefined();
    const orders = principals.of('orders');
    expect(event).toMatchObject({
      resource: '/ops/GetProducts',
      path: '/ops/GetProducts',
      httpMethod: 'POST',
      body: '{"ids":["p1"]}',
      isBase64Encoded: false,
      pathParameters: null,
      stageVariables: null,
      queryStringParameters: { debug: '2' },
      multiValueQueryStringParameters: { debug: ['1', '2'] },
      headers: { 'x-correlation-id': 'c-1', 'X-Forwarded-Proto': 'http' },
      requestContext: {
        accountId: ACCOUNT,
        apiId: 'catalogfacade',
        stage: 'v1',
        path: '/v1/ops/GetProducts',
        resourcePath: '/ops/GetProducts',
        httpMethod: 'POST',
        protocol: 'HTTP/1.1',
        identity: {
          accessKey: 'LOCALORDERS',
          accountId: ACCOUNT,
          caller: orders.caller,
          user: orders.caller,
          userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Orders-LocalExecutionRole/quanta-orders`,
          sourceIp: '127.0.0.1',
          userAgent: 'quanta-facade-client/1',
          cognitoIdentityId: null,
        },
      },
    });
    expect(orders.caller).toMatch(/^AROA[0-9A-F]{17}:quanta-orders$/);
  });

  it('answers an unsigned request with 403 Missing Authentication Token without invoking the function', async () => {
    const response = await rawRequest(catalogUrl, {
      method: 'POST',
      path: '/catalog/v1/ops/GetProducts',
      headers: ['content-type', 'application/json'],
      body: '{}',
    });

    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Missing Authentication Token"}');
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(facadeCalls()).toBe(0);
  });

  it.each([
    ['an unknown operation', 'POST', '/catalog/v1/ops/DropTables'],
    ['an unknown quantum', 'POST', '/inventory/v1/ops/GetProducts'],
    ['another stage', 'POST', '/catalog/prod/ops/GetProducts'],
    ['a method the resource does not have', 'GET', '/catalog/v1/ops/GetProducts'],
    ['the stage root', 'POST', '/catalog/v1'],
  ])(
    'answers %s with 403 Missing Authentication Token, as REST APIs do, even when signed',
    async (_name, method, path) => {
      const signed = await sign(`${gateway.url}${path}`, { method });

      const response = await send(signed);

      expect(response.status).toBe(403);
      expect(response.text).toBe('{"message":"Missing Authentication Token"}');
      expect(facadeCalls()).toBe(0);
    },
  );

  it('rejects a body changed after signing with the signature mismatch AWS reports, canonical request included', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, { body: '{"ids":["p1"]}' });

    const response = await send(signed, { body: '{"ids":["p2"]}' });

    expect(response.status).toBe(403);
    const { message } = JSON.parse(response.text) as { message: string };
    expect(message).toMatch(
      /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'POST\n\/catalog\/v1\/ops\/GetProducts\n/,
    );
    expect(message).toMatch(
      /\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/eu-west-1\/execute-api\/aws4_request\n[0-9a-f]{64}'\n$/,
    );
    expect(response.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a signed header changed after signing', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, { headers: { 'x-correlation-id': 'c-1' } });
    const tampered = { ...signed, headers: { ...signed.headers, 'x-correlation-id': 'c-2' } };

    const response = await send(tampered);

    expect(response.status).toBe(403);
    expect(response.text).toContain('The request signature we calculated does not match');
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a signature replayed against another operation', async () => {
    const signed = await signRequest(`${catalogUrl}/ops/Ping`, {
      credentials: principals.credentialsOf('payments'),
      region: REGION,
    });

    const response = await send({ ...signed, path: '/catalog/v1/ops/GetProducts' });

    expect(response.status).toBe(403);
    expect(response.text).toContain('The request signature we calculated does not match');
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a signature made with the right access key id but the wrong secret', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, {
      credentials: { accessKeyId: 'LOCALORDERS', secretAccessKey: 'guessed' },
    });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(response.text).toContain('The request signature we calculated does not match');
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a signature dated more than 5 minutes ago with AWS’s expiry message', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, {
      signingDate: new Date(Date.now() - 6 * 60_000),
    });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toEqual({
      message: expect.stringMatching(
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      ),
    });
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a signature dated more than 5 minutes ahead', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, {
      signingDate: new Date(Date.now() + 6 * 60_000),
    });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(response.text).toMatch(/Signature not yet current: \d{8}T\d{6}Z is still later than/);
    expect(facadeCalls()).toBe(0);
  });

  it('accepts a signature dated 4 minutes ago (within the allowed skew)', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, {
      signingDate: new Date(Date.now() - 4 * 60_000),
    });

    const response = await send(signed);

    expect(response.status).toBe(200);
  });

  it.each([
    [
      'another region',
      { region: 'us-east-1' },
      "Credential should be scoped to a valid region, not 'us-east-1'. ",
    ],
    [
      'another service',
      { service: 'lambda' },
      "Credential should be scoped to correct service: 'execute-api'. ",
    ],
  ])('rejects a credential scoped to %s', async (_name, options, message) => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, options);

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toEqual({ message });
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a signature that does not sign the host header', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, { unsignableHeaders: new Set(['host']) });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toEqual({
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
    expect(facadeCalls()).toBe(0);
  });

  it('rejects an access key id no quantum owns with AWS’s invalid-token message', async () => {
    const signed = await sign(`${catalogUrl}/ops/GetProducts`, {
      credentials: { accessKeyId: 'LOCALNOBODY', secretAccessKey: 'x' },
    });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"The security token included in the request is invalid."}');
    expect(facadeCalls()).toBe(0);
  });

  it('rejects a bearer token as an unreadable Authorization header', async () => {
    const response = await rawRequest(catalogUrl, {
      method: 'POST',
      path: '/catalog/v1/ops/GetProducts',
      headers: ['authorization', 'Bearer abc', 'content-type', 'application/json'],
      body: '{}',
    });

    expect(response.status).toBe(403);
    expect(response.text).toMatch(/Invalid key=value pair \(missing equal-sign\) in Authorization header/);
    expect(facadeCalls()).toBe(0);
  });

  it('denies a validly signed request from a registered quantum the operation does not list, naming it like a resource policy deny', async () => {
    const signed = await signRequest(`${catalogUrl}/ops/GetProducts`, {
      credentials: principals.credentialsOf('payments'),
      region: REGION,
    });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toEqual({
      Message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/Payments-LocalExecutionRole/quanta-payments is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:********0000:catalogfacade/v1/POST/ops/GetProducts with an explicit deny`,
    });
    expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(facadeCalls()).toBe(0);
  });

  it('denies a caller the manifest names but the registry does not, as the stack’s resource policy does', async () => {
    const signed = await signRequest(`${catalogUrl}/ops/GetProducts`, {
      credentials: principals.credentialsOf('chat'),
      region: REGION,
    });

    const response = await send(signed);

    expect(response.status).toBe(403);
    expect(response.text).toContain('is not authorized to perform: execute-api:Invoke');
    expect(facadeCalls()).toBe(0);
  });

  it('admits a caller on the operations that list it only', async () => {
    const ping = await signRequest(`${catalogUrl}/ops/Ping`, {
      credentials: principals.credentialsOf('payments'),
      region: REGION,
    });

    const response = await send(ping);

    expect(response.status).toBe(200);
  });

  it.each([
    ['not JSON', '{"ids":'],
    ['a JSON array', '[1,2]'],
    ['empty', ''],
  ])(
    'answers 400 Invalid request body when the JSON body is %s, as the method’s request validator does',
    async (_name, body) => {
      const signed = await sign(`${catalogUrl}/ops/GetProducts`, { body });

      const response = await send(signed);

      expect(response.status).toBe(400);
      expect(response.text).toBe('{"message": "Invalid request body"}');
      expect(facadeCalls()).toBe(0);
    },
  );

  it('answers 502 Internal server error when the function fails', async () => {
    invoker.on('catalog.facade', () => {
      throw new TypeError('boom');
    });
    const signed = await sign(`${catalogUrl}/ops/GetProducts`);

    const response = await send(signed);

    expect(response.status).toBe(502);
    expect(response.text).toBe('{"message": "Internal server error"}');
    expect(reports.at(-1)).toBe('502 catalog.facade failed: TypeError: boom');
  });

  it.each([
    ['no statusCode', { products: [] }],
    ['a non-string body', { statusCode: 200, body: { products: [] } }],
    ['an unknown key', { statusCode: 200, body: '{}', cookies: ['a=b'] }],
  ])('answers 502 for a malformed proxy response with %s', async (_name, payload) => {
    invoker.on('catalog.facade', () => payload);
    const signed = await sign(`${catalogUrl}/ops/GetProducts`);

    const response = await send(signed);

    expect(response.status).toBe(502);
    expect(response.text).toBe('{"message": "Internal server error"}');
  });

  it('answers 504 Endpoint request timed out when the function outlasts the integration timeout', async () => {
    invoker.on(
      'catalog.facade',
      () => new Promise((resolve) => setTimeout(() => resolve(okResponse({ path: '' })), 1000)),
    );
    const signed = await sign(`${catalogUrl}/ops/GetProducts`);
    const started = Date.now();

    const response = await send(signed);

    expect(response.status).toBe(504);
    expect(response.text).toBe('{"message": "Endpoint request timed out"}');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('passes multi-value response headers through, the lists winning over single values', async () => {
    invoker.on('catalog.facade', () => ({
      statusCode: 201,
      headers: { 'x-one': 'a', 'x-two': 'single' },
      multiValueHeaders: { 'x-two': ['b', 'c'] },
      body: 'created',
    }));
    const signed = await sign(`${catalogUrl}/ops/GetProducts`);

    const response = await send(signed);

    expect(response.status).toBe(201);
    expect(response.headers['x-one']).toBe('a');
    expect(response.headers['x-two']).toBe('b, c');
    expect(response.text).toBe('created');
  });

  it('answers the runtime’s FacadeClient, signing with the caller’s credentials, and refuses it for a non-caller', async () => {
    const client = (quantum: string) =>
      new FacadeClient({
        target: 'catalog',
        baseUrl: catalogUrl,
        region: REGION,
        credentials: async () => principals.credentialsOf(quantum),
      });

    const answer = await client('orders').call(
      'GetProducts',
      { ids: ['p1'] },
      z.object({ products: z.array(z.unknown()) }),
    );
    const refused = await client('payments')
      .call('GetProducts', { ids: ['p1'] }, z.unknown())
      .catch((error: unknown) => error);

    expect(answer).toEqual({ products: [] });
    expect(refused).toBeInstanceOf(FacadeRequestError);
    expect((refused as FacadeRequestError).message).toMatch(/403/);
  });

  it('rejects options that cannot form a gateway', () => {
    expect(
      () =>
        new FacadeGateway({
          apis: [catalog],
          invoker,
          principals,
          region: 'mars',
          integrationTimeoutMs: 10,
        }),
    ).toThrow(/integrationTimeoutMs' must be an integer from 50 to 29000, got 10/);
    expect(() => new FacadeGateway({ apis: [catalog], invoker, principals, region: 'mars' })).toThrow(
      /region' must be an AWS region, got 'mars'/,
    );
  });
});
