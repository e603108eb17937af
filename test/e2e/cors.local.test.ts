import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import type { TestUser } from './support/users';
import { signUpAndLogIn } from './support/users';

/**
 * CORS and the security headers on the local cloud, which allows the web client's development
 * origins by default (local/readRegistry.ts): a preflight is answered by the gateway, never by the
 * authorizer or a function. Local only: it counts invocations.
 */
const WEB = 'http://127.0.0.1:5173';
let target: E2eTarget;
let user: TestUser;
const invoked: string[] = [];

beforeAll(async () => {
  target = await startE2eTarget({ onInvoke: (functionId) => invoked.push(functionId) });
  user = await signUpAndLogIn(new HttpClient(target.httpUrl), 'cors');
});
afterAll(async () => {
  await target.stop();
});
beforeEach(() => {
  invoked.length = 0;
});

const preflight = (path: string, origin: string, method: string, headers: string): Promise<Response> =>
  fetch(`${target.httpUrl}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('The local HTTP API’s CORS', () => {
  it('answers the web client’s preflight itself: 204 with the CORS headers, and invokes nothing', async () => {
    const res = await preflight('/orders', WEB, 'POST', 'authorization,content-type,idempotency-key');

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(res.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    );
    expect(res.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']),
    );
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(invoked).toEqual([]);
  });

  it('answers a preflight from localhost:5173 too, on an authenticated route of another quantum', async () => {
    const res = await preflight('/identity/me', 'http://localhost:5173', 'GET', 'authorization');

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(invoked).toEqual([]);
  });

  it('gives a preflight from another origin no allow-origin, and still invokes nothing', async () => {
    const res = await preflight('/identity/me', 'https://evil.example', 'GET', 'authorization');

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(invoked).toEqual([]);
  });

  it('adds the allow-origin to an actual request from the web client, public or authenticated', async () => {
    const products = await fetch(`${target.httpUrl}/catalog/products?limit=1`, { headers: { origin: WEB } });
    const me = await fetch(`${target.httpUrl}/identity/me`, {
      headers: { origin: WEB, authorization: `Bearer ${user.tokens.accessToken}` },
    });
    const elsewhere = await fetch(`${target.httpUrl}/identity/me`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${user.tokens.accessToken}` },
    });

    expect([products.status, me.status, elsewhere.status]).toEqual([200, 200, 200]);
    expect(products.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(me.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(me.headers.get('vary')).toContain('origin');
    expect(me.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the web client read a 401 from the gateway', async () => {
    const res = await fetch(`${target.httpUrl}/identity/me`, { headers: { origin: WEB } });

    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB);
  });
});

describe('The security headers of the quanta’s responses', () => {
  it('forbid sniffing everywhere and caching of authenticated and token-bearing responses', async () => {
    const me = await fetch(`${target.httpUrl}/identity/me`, {
      headers: { authorization: `Bearer ${user.tokens.accessToken}` },
    });
    const login = await fetch(`${target.httpUrl}/identity/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const refused = await fetch(`${target.httpUrl}/orders/nope`, {
      headers: { authorization: `Bearer ${user.tokens.accessToken}` },
    });
    const jwks = await fetch(`${target.httpUrl}/identity/.well-known/jwks.json`);

    for (const res of [me, login, refused]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect([me.status, login.status]).toEqual([200, 200]);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(jwks.headers.get('x-content-type-options')).toBe('nosniff');
    expect(jwks.headers.get('cache-control')).toMatch(/^public/);
  });
});
