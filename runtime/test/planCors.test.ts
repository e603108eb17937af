import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CORS_ALLOW_HEADERS,
  defineQuantum,
  ManifestError,
  parseRegistry,
  plan,
  planTable,
  withCorsOrigins,
} from '../src/manifest';

const platform = defineQuantum({
  name: 'platform',
  dir: '/q/platform',
  basePath: '/realtime',
  table: {},
  functions: { authorizer: { entry: 'functions/authorizer.ts' }, api: { entry: 'functions/api.ts' } },
  routes: [{ method: 'POST', path: '/realtime/tickets', access: 'authenticated' }],
});
const identity = defineQuantum({
  name: 'identity',
  dir: '/q/identity',
  table: {},
  functions: { api: { entry: 'functions/api.ts' } },
  routes: [
    { method: 'POST', path: '/identity/login', access: 'public' },
    { method: 'GET', path: '/identity/me', access: 'authenticated' },
  ],
});
const manifests = { platform, identity };
const quanta = { platform: {}, identity: {} };
const WEB = 'https://shop.example.com';

describe('plan() resolves the HTTP API’s CORS', () => {
  it('gives the API no CORS and ANY catch-all routes when the registry has none, as API Gateway by default', () => {
    const p = plan(manifests, parseRegistry({ quanta }));

    expect(p.platform.httpApi.cors).toBeUndefined();
    expect(p.platform.httpApi.routes.filter((r) => r.quantum === 'identity').map((r) => r.routeKey)).toEqual([
      'ANY /identity',
      'ANY /identity/{proxy+}',
      'POST /identity/login',
    ]);
  });

  it('takes quanta:cors with defaults for what it omits: the API’s headers, its methods, ten minutes, no credentials', () => {
    const p = plan(manifests, parseRegistry({ quanta, 'quanta:cors': { allowOrigins: [WEB] } }));

    expect(p.platform.httpApi.cors).toEqual({
      allowOrigins: [WEB],
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposeHeaders: ['retry-after', 'x-correlation-id'],
      maxAgeSeconds: 600,
      allowCredentials: false,
    });
  });

  it('prints the CORS under the HTTP API routes in npm run plan', () => {
    const p = plan(manifests, parseRegistry({ quanta, 'quanta:cors': { allowOrigins: [WEB] } }));

    expect(planTable(p)).toContain(`CORS: origins ${WEB}; methods GET, POST, PUT, PATCH, DELETE;`);
    expect(planTable(plan(manifests, parseRegistry({ quanta })))).toContain('CORS: none');
  });

  it('normalises the settings: origins and header names lower-case, methods upper-case, no duplicates', () => {
    const registry = parseRegistry({
      quanta,
      'quanta:cors': {
        allowOrigins: ['HTTPS://Shop.Example.com', WEB],
        allowHeaders: ['Authorization', 'authorization'],
        allowMethods: ['get', 'GET', 'post'],
      },
    });

    expect(registry.cors).toMatchObject({
      allowOrigins: [WEB],
      allowHeaders: ['authorization'],
      allowMethods: ['GET', 'POST'],
    });
  });

  it('routes the authorized catch-alls per method with CORS, so that no route takes a preflight', () => {
    const p = plan(manifests, parseRegistry({ quanta, 'quanta:cors': { allowOrigins: [WEB] } }));
    const identityRoutes = p.platform.httpApi.routes.filter((r) => r.quantum === 'identity');
    const trigger = p.quanta
      .find((q) => q.name === 'identity')
      ?.functions.find((f) => f.key === 'api')
      ?.triggers.find((t) => t.kind === 'httpRoutes');

    expect(identityRoutes.filter((r) => r.authorized).map((r) => r.routeKey)).toEqual([
      'GET /identity',
      'POST /identity',
      'PUT /identity',
      'PATCH /identity',
      'DELETE /identity',
      'GET /identity/{proxy+}',
      'POST /identity/{proxy+}',
      'PUT /identity/{proxy+}',
      'PATCH /identity/{proxy+}',
      'DELETE /identity/{proxy+}',
    ]);
    expect(p.platform.httpApi.routes.map((r) => r.method)).not.toContain('ANY');
    expect(p.platform.httpApi.routes.map((r) => r.method)).not.toContain('OPTIONS');
    expect(identityRoutes.find((r) => r.routeKey === 'POST /identity/login')?.authorized).toBe(false);
    expect(trigger?.kind === 'httpRoutes' ? trigger.routes : []).toEqual(
      identityRoutes.map((r) => r.routeKey),
    );
  });

  it.each([
    [{ allowOrigins: [] }, /quanta:cors\.allowOrigins: must list at least one origin/],
    [
      { allowOrigins: ['https://shop.example.com/'] },
      /must be an origin .* \(got "https:\/\/shop\.example\.com\/"\)/,
    ],
    [{ allowOrigins: ['shop.example.com'] }, /must be an origin/],
    [{ allowOrigins: ['*'], allowCredentials: true }, /allowCredentials cannot be true with the origin '\*'/],
    [{ allowOrigins: [WEB], maxAgeSeconds: 86_401 }, /quanta:cors\.maxAgeSeconds/],
    [{ allowOrigins: [WEB], allowMethods: ['TRACE'] }, /quanta:cors\.allowMethods\.0/],
    [{ allowOrigins: [WEB], allowHeaders: ['bad header'] }, /must be an HTTP header name/],
    [{ allowOrigin: [WEB] }, /quanta:cors/],
  ])('refuses quanta:cors %j, naming the key and the value', (cors, message) => {
    expect(() => parseRegistry({ quanta, 'quanta:cors': cors })).toThrow(ManifestError);
    expect(() => parseRegistry({ quanta, 'quanta:cors': cors })).toThrow(message);
  });
});

describe('withCorsOrigins', () => {
  it('adds origins to the registry’s CORS and keeps its other settings', () => {
    const registry = parseRegistry({ quanta, 'quanta:cors': { allowOrigins: [WEB], maxAgeSeconds: 60 } });

    const added = withCorsOrigins(registry, ['https://d111111abcdef8.cloudfront.net', WEB]);

    expect(added.cors?.allowOrigins).toEqual([WEB, 'https://d111111abcdef8.cloudfront.net']);
    expect(added.cors?.maxAgeSeconds).toBe(60);
    expect(registry.cors?.allowOrigins).toEqual([WEB]);
  });

  it('gives a registry without CORS the default settings for exactly those origins', () => {
    const added = withCorsOrigins(parseRegistry({ quanta }), ['http://127.0.0.1:5173']);

    expect(added.cors?.allowOrigins).toEqual(['http://127.0.0.1:5173']);
    expect(added.cors?.allowHeaders).toEqual([...DEFAULT_CORS_ALLOW_HEADERS]);
  });

  it('refuses an origin that is not one', () => {
    expect(() => withCorsOrigins(parseRegistry({ quanta }), ['127.0.0.1:5173'])).toThrow(
      /CORS origins \["127\.0\.0\.1:5173"\] cannot be added: allowOrigins\.0: must be an origin/,
    );
  });
});
