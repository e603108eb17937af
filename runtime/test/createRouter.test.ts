import type { RouteDefinition } from '@quanta/runtime/manifest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError } from '../src/errors';
import { createRouter } from '../src/http/createRouter';
import { httpHandler, jsonResponse } from '../src/http/httpHandler';
import { httpApiEvent } from '../src/testing/httpApiEvent';
import { lambdaContext } from '../src/testing/lambdaContext';
import { testObservability } from '../src/testing/testObservability';

const routes: RouteDefinition[] = [
  { method: 'POST', path: '/shop/items', access: 'public', maxBodyBytes: 64 },
  { method: 'GET', path: '/shop/items/{id}', access: 'public' },
  { method: 'GET', path: '/shop/me', access: 'authenticated' },
  { method: 'DELETE', path: '/shop/items/{id}', access: { role: 'admin' } },
];

const caller = { userId: 'u1', sessionId: 's1', roles: ['customer'] };
const admin = { userId: 'u2', sessionId: 's2', roles: ['customer', 'admin'] };

function buildHandler() {
  const router = createRouter(routes, {
    'POST /shop/items': (req) => jsonResponse(201, req.parseBody(z.strictObject({ name: z.string() }))),
    'GET /shop/items/{id}': (req) => jsonResponse(200, { id: req.pathParameters.id }),
    'GET /shop/me': (req) => jsonResponse(200, req.requireCaller()),
    'DELETE /shop/items/{id}': () => jsonResponse(200, { deleted: true }),
  });
  return httpHandler(router, { observability: testObservability() });
}

async function call(input: Parameters<typeof httpApiEvent>[0]) {
  const response = await buildHandler()(httpApiEvent(input), lambdaContext());
  return { ...response, json: response.body === '' ? undefined : JSON.parse(response.body) };
}

describe('createRouter', () => {
  it('routes by method and path and decodes path parameters', async () => {
    // Arrange + Act
    const response = await call({ method: 'GET', path: '/shop/items/a%20b' });

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id: 'a b' });
  });

  it('answers an unknown path with 404 ROUTE_NOT_FOUND', async () => {
    // Arrange + Act
    const response = await call({ method: 'GET', path: '/shop/nothing' });

    // Assert
    expect(response.statusCode).toBe(404);
    expect(response.json.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers a known path with another method with 405 and Allow', async () => {
    // Arrange + Act
    const response = await call({ method: 'PUT', path: '/shop/items/1' });

    // Assert
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, DELETE');
  });

  it('rejects an authenticated route without an authorizer context with 401', async () => {
    // Arrange + Act
    const response = await call({ method: 'GET', path: '/shop/me' });

    // Assert
    expect(response.statusCode).toBe(401);
    expect(response.json.error.code).toBe('UNAUTHORIZED');
  });

  it('ignores identity headers sent by the client', async () => {
    // Arrange + Act
    const response = await call({
      method: 'GET',
      path: '/shop/me',
      headers: { 'x-user-id': 'u-attacker', 'x-roles': 'admin', authorization: 'Bearer whatever' },
    });

    // Assert
    expect(response.statusCode).toBe(401);
  });

  it('reads the caller from the authorizer context only', async () => {
    // Arrange + Act
    const response = await call({
      method: 'GET',
      path: '/shop/me',
      caller,
      headers: { 'x-user-id': 'u-attacker' },
    });

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual(caller);
  });

  it('rejects a role route for a caller without the role with 403', async () => {
    // Arrange + Act
    const response = await call({ method: 'DELETE', path: '/shop/items/1', caller });

    // Assert
    expect(response.statusCode).toBe(403);
    expect(response.json.error.code).toBe('FORBIDDEN');
  });

  it('admits a role route for a caller with the role', async () => {
    // Arrange + Act
    const response = await call({ method: 'DELETE', path: '/shop/items/1', caller: admin });

    // Assert
    expect(response.statusCode).toBe(200);
  });

  it('rejects a body above maxBodyBytes with 413 before parsing it', async () => {
    // Arrange
    const body = `{"name":"${'x'.repeat(100)}"`; // too long, and not even valid JSON

    // Act
    const response = await call({ method: 'POST', path: '/shop/items', body });

    // Assert
    expect(response.statusCode).toBe(413);
    expect(response.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects malformed JSON with 400 INVALID_JSON', async () => {
    // Arrange + Act
    const response = await call({ method: 'POST', path: '/shop/items', body: '{"name":' });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('INVALID_JSON');
  });

  it('rejects a body that fails the schema with 400 VALIDATION_FAILED and the field path', async () => {
    // Arrange + Act
    const response = await call({ method: 'POST', path: '/shop/items', body: { name: 42 } });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
    expect(response.json.error.details[0].path).toBe('name');
  });

  it.each([
    ['a form post', 'application/x-www-form-urlencoded'],
    ['a multipart form', 'multipart/form-data; boundary=x'],
    ['plain text', 'text/plain'],
    ['no content type', undefined],
  ])(
    'refuses a body sent as %s with 415 UNSUPPORTED_MEDIA_TYPE, before running the route',
    async (_, type) => {
      // Arrange: the event builder adds application/json to a body, so the headers are set here.
      const event = httpApiEvent({ method: 'POST', path: '/shop/items', body: '{"name":"x"}' });
      const headers = type === undefined ? {} : { 'content-type': type };

      // Act
      const response = await buildHandler()({ ...event, headers }, lambdaContext());

      // Assert
      expect(response.statusCode).toBe(415);
      expect(JSON.parse(response.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('accepts application/json with parameters, in any case', async () => {
    // Arrange + Act
    const response = await call({
      method: 'POST',
      path: '/shop/items',
      body: '{"name":"x"}',
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8' },
    });

    // Assert
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({ name: 'x' });
  });

  it('refuses at cold start a manifest route without a handler', () => {
    // Arrange
    const build = () => createRouter(routes, { 'GET /shop/me': () => jsonResponse(200, {}) });

    // Act + Assert
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(/routes without a handler: POST \/shop\/items/);
  });

  it('refuses at cold start a handler without a manifest route', () => {
    // Arrange
    const handlers = Object.fromEntries(
      routes.map((r) => [`${r.method} ${r.path}`, () => jsonResponse(200, {})]),
    );

    // Act
    const build = () =>
      createRouter(routes, { ...handlers, 'GET /shop/secret': () => jsonResponse(200, {}) });

    // Assert
    expect(build).toThrow(/handlers without a manifest route: GET \/shop\/secret/);
  });
});
