import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  getProductsResponseSchema,
  PriceChanged,
  type Product,
  ProductCreated,
  ProductRenamed,
  productPageSchema,
  productSchema,
} from '@quanta/contracts/catalog';
import { eventEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { errorBodySchema } from '@quanta/contracts/http';
import type { AuthorizerContext } from '@quanta/contracts/platform';
import { httpHandler } from '@quanta/runtime/http';
import { createFacadeRouter, createRouter } from '@quanta/runtime/http/router';
import {
  type DynamoDbLocal,
  dynamoDbClientFor,
  httpApiEvent,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbProductRepository } from '../adapters/DynamoDbProductRepository';
import { facadeOperations } from '../functions/facadeOperations';
import { routes } from '../functions/routes';
import catalog from '../quantum';
import { ProductCatalog } from '../service/ProductCatalog';
import { createCatalogTable } from './fakes/createCatalogTable';

let db: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

const admin: AuthorizerContext = { userId: 'u-admin', sessionId: 's1', roles: ['customer', 'admin'] };
const customer: AuthorizerContext = { userId: 'u-customer', sessionId: 's2', roles: ['customer'] };
const mug = { name: 'Mug', description: 'Holds coffee', priceCents: 1200, currency: 'EUR', stock: 10 };

/** catalog's api and facade functions on a fresh table of their own. */
async function catalogOnTable() {
  const tableName = await createCatalogTable(client);
  const service = new ProductCatalog({
    products: new DynamoDbProductRepository({ client, tableName, ttlAttribute: 'expiresAt' }),
  });
  const api = httpHandler(createRouter(catalog.routes ?? [], routes(service)), {
    observability: testObservability('catalog'),
  });
  const facade = httpHandler(createFacadeRouter(catalog.facade ?? [], facadeOperations(service)), {
    observability: testObservability('catalog'),
  });
  const call = async (input: Parameters<typeof httpApiEvent>[0]) => {
    const response = await api(httpApiEvent(input), lambdaContext());
    return { ...response, json: response.body === '' ? undefined : (JSON.parse(response.body) as unknown) };
  };
  const callFacade = async (operation: string, body: unknown) => {
    const response = await facade(facadeEvent(operation, body), lambdaContext());
    return { ...response, json: JSON.parse(response.body) as unknown };
  };
  const create = async (overrides: Partial<typeof mug> = {}): Promise<Product> => {
    const response = await call({
      method: 'POST',
      path: '/catalog/products',
      body: { ...mug, ...overrides },
      caller: admin,
    });
    return productSchema.parse(response.json);
  };
  const outbox = async () => {
    const { Items = [] } = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :outbox)',
        ExpressionAttributeValues: marshall({ ':outbox': 'OUTBOX#' }),
        ConsistentRead: true,
      }),
    );
    return Items.map((i) => eventEnvelopeBaseSchema.parse(JSON.parse(String(unmarshall(i).envelope))));
  };
  return { call, callFacade, create, outbox };
}

function facadeEvent(operation: string, body: unknown): APIGatewayProxyEvent {
  return {
    resource: '/ops/{operation}',
    path: `/ops/${operation}`,
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-correlation-id': 'corr-facade' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { operation },
    stageVariables: null,
    requestContext: { requestId: 'r1', identity: { userArn: 'arn:aws:iam::111111111111:role/orders-api' } },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent;
}

describe('catalog api on DynamoDB Local', () => {
  it('lets an admin create a product: 201, a Location, and ProductCreated in the outbox', async () => {
    // Arrange
    const api = await catalogOnTable();

    // Act
    const response = await api.call({
      method: 'POST',
      path: '/catalog/products',
      body: mug,
      caller: admin,
      headers: { 'x-correlation-id': 'corr-create' },
    });

    // Assert
    expect(response.statusCode).toBe(201);
    const product = productSchema.parse(response.json);
    expect(product).toMatchObject(mug);
    expect(response.headers.location).toBe(`/catalog/products/${product.productId}`);
    const [event] = await api.outbox();
    expect(ProductCreated.envelope.parse(event)).toMatchObject({
      correlationId: 'corr-create',
      data: { productId: product.productId, name: 'Mug', priceCents: 1200, currency: 'EUR', stock: 10 },
    });
  });

  it('serves products to anyone, without a token', async () => {
    // Arrange
    const api = await catalogOnTable();
    const product = await api.create();

    // Act
    const one = await api.call({ method: 'GET', path: `/catalog/products/${product.productId}` });
    const list = await api.call({ method: 'GET', path: '/catalog/products' });

    // Assert
    expect(one.statusCode).toBe(200);
    expect(productSchema.parse(one.json)).toEqual(product);
    expect(list.statusCode).toBe(200);
    expect(productPageSchema.parse(list.json)).toEqual({ items: [product] });
  });

  it('answers an unknown product with 404 PRODUCT_NOT_FOUND on every product route', async () => {
    // Arrange
    const api = await catalogOnTable();

    // Act
    const responses = await Promise.all([
      api.call({ method: 'GET', path: '/catalog/products/nope' }),
      api.call({ method: 'PATCH', path: '/catalog/products/nope', body: { name: 'X' }, caller: admin }),
      api.call({
        method: 'POST',
        path: '/catalog/products/nope/restock',
        body: { quantity: 1 },
        caller: admin,
      }),
    ]);

    // Assert
    for (const response of responses) {
      expect(response.statusCode).toBe(404);
      expect(errorBodySchema.parse(response.json).error.code).toBe('PRODUCT_NOT_FOUND');
    }
  });

  it.each([
    ['POST', '/catalog/products', mug, 201],
    ['PATCH', '/catalog/products/{id}', { name: 'Renamed' }, 200],
    ['POST', '/catalog/products/{id}/restock', { quantity: 5 }, 200],
  ])('allows %s %s to admins only: 401 anonymous, 403 customer, %i admin', async (method, path, body, ok) => {
    // Arrange
    const api = await catalogOnTable();
    const { productId } = await api.create();
    const route = path.replace('{id}', productId);

    // Act
    const anonymous = await api.call({ method, path: route, body });
    const asCustomer = await api.call({ method, path: route, body, caller: customer });
    const asAdmin = await api.call({ method, path: route, body, caller: admin });

    // Assert
    expect(anonymous.statusCode).toBe(401);
    expect(errorBodySchema.parse(anonymous.json).error.code).toBe('UNAUTHORIZED');
    expect(asCustomer.statusCode).toBe(403);
    expect(errorBodySchema.parse(asCustomer.json).error.code).toBe('FORBIDDEN');
    expect(asAdmin.statusCode).toBe(ok);
  });

  it('renames and reprices with PATCH, publishing ProductRenamed and PriceChanged with rising versions', async () => {
    // Arrange
    const api = await catalogOnTable();
    const { productId } = await api.create();
    const path = `/catalog/products/${productId}`;

    // Act
    const renamed = await api.call({ method: 'PATCH', path, body: { name: 'Big mug' }, caller: admin });
    const both = await api.call({
      method: 'PATCH',
      path,
      body: { name: 'Huge mug', priceCents: 1800 },
      caller: admin,
    });

    // Assert
    expect(renamed.statusCode).toBe(200);
    expect(productSchema.parse(both.json)).toMatchObject({ name: 'Huge mug', priceCents: 1800 });
    const events = await api.outbox();
    const renames = events
      .filter((e) => e.type === 'ProductRenamed')
      .map((e) => ProductRenamed.envelope.parse(e).data)
      .sort((a, b) => a.version - b.version);
    expect(renames).toEqual([
      { productId, name: 'Big mug', previousName: 'Mug', version: 2 },
      { productId, name: 'Huge mug', previousName: 'Big mug', version: 3 },
    ]);
    const [priceChanged] = events.filter((e) => e.type === 'PriceChanged');
    expect(PriceChanged.envelope.parse(priceChanged).data).toEqual({
      productId,
      priceCents: 1800,
      previousPriceCents: 1200,
      currency: 'EUR',
      version: 3,
    });
  });

  it('restocks: 200 with the new stock', async () => {
    // Arrange
    const api = await catalogOnTable();
    const { productId } = await api.create({ stock: 0 });

    // Act
    const response = await api.call({
      method: 'POST',
      path: `/catalog/products/${productId}/restock`,
      body: { quantity: 7 },
      caller: admin,
    });

    // Assert
    expect(response.statusCode).toBe(200);
    expect(productSchema.parse(response.json).stock).toBe(7);
  });

  it('walks every product exactly once, in creation order, across pages', async () => {
    // Arrange
    const api = await catalogOnTable();
    const created: Product[] = [];
    for (let i = 0; i < 23; i++) created.push(await api.create({ name: `Product ${i}` }));
    const expected = [...created]
      .sort((a, b) => `${a.createdAt}#${a.productId}`.localeCompare(`${b.createdAt}#${b.productId}`))
      .map((p) => p.productId);

    // Act
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const response = await api.call({
        method: 'GET',
        path: '/catalog/products',
        query: { limit: '5', ...(cursor === undefined ? {} : { cursor }) },
      });
      const page = productPageSchema.parse(response.json);
      seen.push(...page.items.map((p) => p.productId));
      pageSizes.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const exact = productPageSchema.parse(
      (await api.call({ method: 'GET', path: '/catalog/products', query: { limit: '23' } })).json,
    );

    // Assert
    expect(seen).toEqual(expected);
    expect(pageSizes).toEqual([5, 5, 5, 5, 3]);
    expect(exact.items).toHaveLength(23);
    expect(exact.nextCursor).toBeUndefined();
  });

  it('answers GetProducts through the facade: known products with their stock, and the missing ids', async () => {
    // Arrange
    const api = await catalogOnTable();
    const mugProduct = await api.create();
    const cup = await api.create({ name: 'Cup', priceCents: 800, stock: 0 });

    // Act
    const response = await api.callFacade('GetProducts', {
      ids: [cup.productId, 'ghost', mugProduct.productId],
    });
    const invalid = await api.callFacade('GetProducts', { ids: [] });
    const unknownOperation = await api.callFacade('DeleteEverything', {});

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).toBe('corr-facade');
    expect(getProductsResponseSchema.parse(response.json)).toEqual({
      products: [
        { productId: cup.productId, name: 'Cup', priceCents: 800, currency: 'EUR', available: 0 },
        { productId: mugProduct.productId, name: 'Mug', priceCents: 1200, currency: 'EUR', available: 10 },
      ],
      missing: ['ghost'],
    });
    expect(invalid.statusCode).toBe(400);
    expect(errorBodySchema.parse(invalid.json).error.code).toBe('VALIDATION_FAILED');
    expect(unknownOperation.statusCode).toBe(404);
  });
});

describe('catalog api with malformed input', () => {
  const forgedCursor = Buffer.from(JSON.stringify({ v: 1, after: 'not-a-key' })).toString('base64url');
  const cases: [string, string, string, { body?: unknown; query?: Record<string, string> }, number][] = [
    ['list: limit 0', 'GET', '/catalog/products', { query: { limit: '0' } }, 400],
    ['list: limit over 100', 'GET', '/catalog/products', { query: { limit: '101' } }, 400],
    ['list: limit not a number', 'GET', '/catalog/products', { query: { limit: 'ten' } }, 400],
    ['list: fractional limit', 'GET', '/catalog/products', { query: { limit: '2.5' } }, 400],
    ['list: cursor with bad characters', 'GET', '/catalog/products', { query: { cursor: '!!' } }, 400],
    ['list: cursor that is not ours', 'GET', '/catalog/products', { query: { cursor: 'abc' } }, 400],
    ['list: forged cursor', 'GET', '/catalog/products', { query: { cursor: forgedCursor } }, 400],
    ['list: unknown parameter', 'GET', '/catalog/products', { query: { sort: 'name' } }, 400],
    ['get: id with bad characters', 'GET', '/catalog/products/a.b', {}, 400],
    ['get: id too long', 'GET', `/catalog/products/${'x'.repeat(65)}`, {}, 400],
    ['create: not JSON', 'POST', '/catalog/products', { body: '{"name":' }, 400],
    ['create: no body', 'POST', '/catalog/products', {}, 400],
    ['create: an array', 'POST', '/catalog/products', { body: [mug] }, 400],
    ['create: missing fields', 'POST', '/catalog/products', { body: { name: 'Mug' } }, 400],
    ['create: wrong types', 'POST', '/catalog/products', { body: { ...mug, priceCents: '12.00' } }, 400],
    ['create: negative stock', 'POST', '/catalog/products', { body: { ...mug, stock: -1 } }, 400],
    ['create: fractional stock', 'POST', '/catalog/products', { body: { ...mug, stock: 1.5 } }, 400],
    ['create: zero price', 'POST', '/catalog/products', { body: { ...mug, priceCents: 0 } }, 400],
    ['create: lower-case currency', 'POST', '/catalog/products', { body: { ...mug, currency: 'eur' } }, 400],
    ['create: blank name', 'POST', '/catalog/products', { body: { ...mug, name: '   ' } }, 400],
    ['create: unknown field', 'POST', '/catalog/products', { body: { ...mug, sku: 'X' } }, 400],
    [
      'create: oversize body',
      'POST',
      '/catalog/products',
      { body: { ...mug, description: 'x'.repeat(17_000) } },
      413,
    ],
    ['update: nothing to change', 'PATCH', '/catalog/products/{id}', { body: {} }, 400],
    ['update: not JSON', 'PATCH', '/catalog/products/{id}', { body: 'name=x' }, 400],
    ['update: negative price', 'PATCH', '/catalog/products/{id}', { body: { priceCents: -1 } }, 400],
    ['update: name too long', 'PATCH', '/catalog/products/{id}', { body: { name: 'x'.repeat(121) } }, 400],
    ['update: stock is not patchable', 'PATCH', '/catalog/products/{id}', { body: { stock: 5 } }, 400],
    ['update: oversize body', 'PATCH', '/catalog/products/{id}', { body: { name: 'x'.repeat(5000) } }, 413],
    ['update: bad id', 'PATCH', '/catalog/products/a%20b', { body: { name: 'X' } }, 400],
    ['restock: zero', 'POST', '/catalog/products/{id}/restock', { body: { quantity: 0 } }, 400],
    ['restock: negative', 'POST', '/catalog/products/{id}/restock', { body: { quantity: -5 } }, 400],
    ['restock: a string', 'POST', '/catalog/products/{id}/restock', { body: { quantity: '3' } }, 400],
    ['restock: fractional', 'POST', '/catalog/products/{id}/restock', { body: { quantity: 1.5 } }, 400],
    ['restock: missing quantity', 'POST', '/catalog/products/{id}/restock', { body: {} }, 400],
    ['restock: not JSON', 'POST', '/catalog/products/{id}/restock', { body: '[' }, 400],
    [
      'restock: oversize body',
      'POST',
      '/catalog/products/{id}/restock',
      { body: { quantity: 1, x: 'y'.repeat(2000) } },
      413,
    ],
    ['unknown method', 'DELETE', '/catalog/products/{id}', {}, 405],
    ['unknown route', 'GET', '/catalog/things', {}, 404],
  ];

  let api: Awaited<ReturnType<typeof catalogOnTable>>;
  let productId: string;
  beforeAll(async () => {
    api = await catalogOnTable();
    productId = (await api.create()).productId;
  });

  it.each(cases)('rejects %s with the error body and no 5xx', async (_, method, path, input, status) => {
    // Arrange
    const route = path.replace('{id}', productId);

    // Act
    const response = await api.call({ method, path: route, ...input, caller: admin });

    // Assert
    expect(response.statusCode).toBe(status);
    expect(errorBodySchema.parse(response.json).error.message).not.toBe('');
  });

  it('leaves the product untouched after all the malformed writes', async () => {
    // Arrange
    const path = `/catalog/products/${productId}`;

    // Act
    const response = await api.call({ method: 'GET', path });

    // Assert
    expect(productSchema.parse(response.json)).toMatchObject(mug);
  });
});
