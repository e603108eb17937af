import { describe, expect, it } from 'vitest';
import { GatewayConfigurationError } from '../errors';
import { type GatewayRoute, RouteTable } from '../RouteTable';
import { routes } from './fixtures';

const route = (routeKey: string): GatewayRoute => {
  const [method, path] = routeKey.split(' ') as [GatewayRoute['method'], string];
  return { routeKey, method, path, quantum: 'q', functionId: 'q.api', authorized: false };
};

describe('RouteTable', () => {
  const table = RouteTable.from(routes);

  it('prefers an explicit public route over the greedy proxy route', () => {
    expect(table.match('GET', '/shop/products')?.route.routeKey).toBe('GET /shop/products');
  });

  it('falls back to the proxy route when the explicit route has another method', () => {
    const match = table.match('POST', '/shop/products');
    expect(match?.route.routeKey).toBe('ANY /shop/{proxy+}');
    expect(match?.pathParameters).toEqual({ proxy: 'products' });
  });

  it('routes the bare base path to ANY {basePath} with no path parameters', () => {
    const match = table.match('DELETE', '/shop');
    expect(match?.route.routeKey).toBe('ANY /shop');
    expect(match?.pathParameters).toBeUndefined();
  });

  it('extracts path variables of a full match', () => {
    expect(table.match('GET', '/shop/products/p-42')).toEqual({
      route: expect.objectContaining({ routeKey: 'GET /shop/products/{id}' }),
      pathParameters: { id: 'p-42' },
    });
  });

  it('gives the greedy variable everything after the prefix, decoded', () => {
    expect(table.match('GET', '/shop/products/p-42/reviews')?.pathParameters).toEqual({
      proxy: 'products/p-42/reviews',
    });
    expect(table.match('GET', '/shop/a%20b/c%2Fd')?.pathParameters).toEqual({ proxy: 'a b/c/d' });
  });

  it('decodes a percent-encoded path variable and still matches encoded literal segments', () => {
    expect(table.match('GET', '/shop/products/caf%C3%A9')?.pathParameters).toEqual({ id: 'café' });
    expect(table.match('GET', '/shop/product%73')?.route.routeKey).toBe('GET /shop/products');
  });

  it.each([
    ['outside every base path', '/nowhere'],
    ['a base path that only shares a prefix', '/shopping'],
    ['the root', '/'],
    ['an empty greedy remainder', '/shop/'],
  ])('matches nothing for %s', (_label, path) => {
    expect(table.match('GET', path)).toBeUndefined();
  });

  it('lets a literal segment beat a variable, and a method-specific route beat ANY', () => {
    // Arrange
    const t = RouteTable.from(
      ['ANY /pets/{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/{id}', 'GET /pets/dog', 'ANY /pets/dog'].map(
        route,
      ),
    );

    // Act / Assert
    expect(t.match('GET', '/pets/dog')?.route.routeKey).toBe('GET /pets/dog');
    expect(t.match('PUT', '/pets/dog')?.route.routeKey).toBe('ANY /pets/dog');
    expect(t.match('GET', '/pets/cat')?.route.routeKey).toBe('GET /pets/{id}');
    expect(t.match('GET', '/pets/cat/1')?.route.routeKey).toBe('GET /pets/{proxy+}');
    expect(t.match('POST', '/pets/cat')?.route.routeKey).toBe('ANY /pets/{proxy+}');
  });

  it('selects routes as the AWS documentation example does', () => {
    // Arrange: the example API of "Routing API requests" (minus $default, which the platform has none of)
    const t = RouteTable.from(['GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}'].map(route));

    // Act / Assert
    expect(t.match('GET', '/pets/dog/1')?.route.routeKey).toBe('GET /pets/dog/{id}');
    expect(t.match('GET', '/pets/cat/1')?.route.routeKey).toBe('GET /pets/{proxy+}');
    expect(t.match('POST', '/test/5')?.route.routeKey).toBe('ANY /{proxy+}');
  });

  it('prefers the greedy route with the longer literal prefix', () => {
    const t = RouteTable.from(['ANY /{proxy+}', 'ANY /a/{proxy+}', 'ANY /a/b/{proxy+}'].map(route));
    expect(t.match('GET', '/a/b/c')?.route.routeKey).toBe('ANY /a/b/{proxy+}');
    expect(t.match('GET', '/a/x/c')?.route.routeKey).toBe('ANY /a/{proxy+}');
    expect(t.match('GET', '/x')?.route.routeKey).toBe('ANY /{proxy+}');
  });

  it('does not let HEAD use a GET route', () => {
    const t = RouteTable.from(['GET /a'].map(route));
    expect(t.match('HEAD', '/a')).toBeUndefined();
  });

  it('rejects a greedy variable that is not the last segment', () => {
    expect(() => RouteTable.from([route('GET /a/{proxy+}/b')])).toThrow(GatewayConfigurationError);
  });
});
