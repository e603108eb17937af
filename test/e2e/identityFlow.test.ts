import { errorBodySchema } from '@quanta/contracts/http';
import type { MeResponse, TokenPair } from '@quanta/contracts/identity';
import { jwksSchema, meResponseSchema, tokenPairSchema } from '@quanta/contracts/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { claimsOf, headerOf } from './support/forgeToken';
import { HttpClient } from './support/HttpClient';
import { signUpAndLogIn } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * The first vertical slice, as a client sees it through the platform's HTTP API: sign up, log in,
 * call a protected route, rotate the refresh token, log out and be denied. Target-agnostic: runs on
 * the local cloud, or on a deployment with QUANTA_E2E_BASE_URL (npm run test:localstack).
 */
let target: E2eTarget;
let api: HttpClient;
/** Revocation waits out the authorizer cache: 1 s locally, the deployed TTL (60 s) remotely. */
const REVOCATION_TEST_TIMEOUT_MS = 90_000;

beforeAll(async () => {
  // A short cache TTL, so "denied within TTL + 2 s" is measured in seconds, not minutes.
  target = await startE2eTarget({ authorizerCacheTtlSeconds: 1 });
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

/** Polls GET /identity/me with `token` until it is refused; resolves with the refusal status. */
async function deniedStatusOf(token: string, timeoutMs: number): Promise<number> {
  return waitFor(
    'the token to be denied',
    async () => {
      const me = await api.call('GET', '/identity/me', { token });
      return me.status === 200 ? undefined : me.status;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

describe('a client of the identity quantum', () => {
  it('signs up, logs in and reads its own profile through the authorizer', async () => {
    const user = await signUpAndLogIn(api, 'ann');

    const me = await api.call<MeResponse>('GET', '/identity/me', { token: user.tokens.accessToken });

    expect(me.status).toBe(200);
    expect(meResponseSchema.parse(me.body)).toEqual({
      userId: user.userId,
      email: user.email,
      displayName: 'ann',
      roles: ['customer'],
    });
  });

  it('receives an ES256 access token with every claim the design requires', async () => {
    const user = await signUpAndLogIn(api, 'claims');

    const header = headerOf(user.tokens.accessToken);
    const claims = claimsOf(user.tokens.accessToken);

    expect(tokenPairSchema.parse(user.tokens)).toMatchObject({ tokenType: 'Bearer' });
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
    expect(claims).toMatchObject({
      sub: user.userId,
      sid: expect.any(String),
      jti: expect.any(String),
      roles: ['customer'],
      iss: expect.any(String),
      aud: expect.any(String),
    });
    const lifetime = (claims.exp as number) - (claims.iat as number);
    expect(lifetime).toBeLessThanOrEqual(900);
    expect(user.tokens.expiresIn).toBe(lifetime);
  });

  it('is refused a second account with the same e-mail, whatever its case', async () => {
    const user = await signUpAndLogIn(api, 'dup');

    const again = await api.call('POST', '/identity/signup', {
      body: { email: user.email.toUpperCase(), password: 'another long password', displayName: 'Dup' },
    });

    expect(again.status).toBe(409);
    expect(errorBodySchema.parse(again.body).error.code).toBe('EMAIL_TAKEN');
  });

  it('is refused with 415 when it logs in with a body a cross-site form can post, and gets no tokens', async () => {
    const user = await signUpAndLogIn(api, 'form');
    const credentials = { email: user.email, password: user.password };

    const answers = await Promise.all(
      ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'].map((type) =>
        api.call<{ error: { code: string } }>('POST', '/identity/login', {
          body: JSON.stringify(credentials),
          headers: { 'content-type': type },
        }),
      ),
    );

    for (const answer of answers) {
      expect(answer.status).toBe(415);
      expect(answer.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(JSON.stringify(answer.body)).not.toContain('accessToken');
    }
  });

  it('is told the same thing for a wrong password and an unknown e-mail', async () => {
    const user = await signUpAndLogIn(api, 'pw');

    const wrongPassword = await api.call('POST', '/identity/login', {
      body: { email: user.email, password: 'not the password at all' },
    });
    const unknownEmail = await api.call('POST', '/identity/login', {
      body: { email: `nobody-${user.userId}@example.com`, password: 'not the password at all' },
    });

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
  });

  it('gets a clear 4xx error body for malformed input, never a 5xx', async () => {
    const cases = [
      { body: '{not json' },
      { body: { email: 'not-an-email', password: 'long enough password', displayName: 'x' } },
      { body: { email: 'a@example.com', password: 'short', displayName: 'x' } },
      { body: { email: 'a@example.com', password: 'long enough password' } },
      { body: { email: 42, password: ['x'], displayName: null } },
      { body: 'x'.repeat(10_000) },
    ];

    const responses = await Promise.all(cases.map((c) => api.call('POST', '/identity/signup', c)));

    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(errorBodySchema.safeParse(response.body).success).toBe(true);
    }
  });

  it('rotates its refresh token, and reusing the old one revokes the whole session', async () => {
    const user = await signUpAndLogIn(api, 'rotate');

    const first = await api.call<TokenPair>('POST', '/identity/refresh', {
      body: { refreshToken: user.tokens.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.tokens.refreshToken);
    const reuse = await api.call('POST', '/identity/refresh', {
      body: { refreshToken: user.tokens.refreshToken },
    });
    const afterReuse = await api.call('POST', '/identity/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });

    expect(reuse.status).toBe(401);
    expect(afterReuse.status).toBe(401);
    const status = await deniedStatusOf(
      first.body.accessToken,
      (target.authorizerCacheTtlSeconds + 5) * 1000,
    );
    expect([401, 403]).toContain(status);
  });

  it(
    'is denied with the same access token within the cache TTL + 2 s after logging out',
    async () => {
      const user = await signUpAndLogIn(api, 'logout');
      const token = user.tokens.accessToken;
      // Warm the authorizer cache with an allow, the worst case for revocation.
      expect((await api.call('GET', '/identity/me', { token })).status).toBe(200);

      const logout = await api.call('POST', '/identity/logout', { token });
      const loggedOutAt = Date.now();
      const budgetMs = (target.authorizerCacheTtlSeconds + 2) * 1000;
      const status = await deniedStatusOf(token, budgetMs + 1000);
      const elapsedMs = Date.now() - loggedOutAt;

      expect(logout.status).toBe(204);
      expect([401, 403]).toContain(status);
      expect(elapsedMs).toBeLessThanOrEqual(budgetMs);
    },
    REVOCATION_TEST_TIMEOUT_MS,
  );

  it(
    'changes its password: its other sessions are denied, this one stays, and only the new password works',
    async () => {
      const user = await signUpAndLogIn(api, 'changer');
      const other = tokenPairSchema.parse(
        (await api.call('POST', '/identity/login', { body: { email: user.email, password: user.password } }))
          .body,
      );
      const newPassword = 'a brand new passphrase';

      const wrong = await api.call('POST', '/identity/password', {
        token: user.tokens.accessToken,
        body: { currentPassword: 'not the password at all', newPassword },
      });
      const changed = await api.call('POST', '/identity/password', {
        token: user.tokens.accessToken,
        body: { currentPassword: user.password, newPassword },
      });
      const otherDenied = await deniedStatusOf(
        other.accessToken,
        (target.authorizerCacheTtlSeconds + 10) * 1000,
      );
      const otherRefresh = await api.call('POST', '/identity/refresh', {
        body: { refreshToken: other.refreshToken },
      });
      const mine = await api.call('GET', '/identity/me', { token: user.tokens.accessToken });
      const myRefresh = await api.call('POST', '/identity/refresh', {
        body: { refreshToken: user.tokens.refreshToken },
      });
      const oldLogin = await api.call('POST', '/identity/login', {
        body: { email: user.email, password: user.password },
      });
      const newLogin = await api.call('POST', '/identity/login', {
        body: { email: user.email, password: newPassword },
      });

      expect(wrong.status).toBe(403);
      expect(errorBodySchema.parse(wrong.body).error.code).toBe('INVALID_CURRENT_PASSWORD');
      expect(changed.status).toBe(204);
      expect([401, 403]).toContain(otherDenied);
      expect(otherRefresh.status).toBe(401);
      expect(mine.status).toBe(200);
      expect(myRefresh.status).toBe(200);
      expect(oldLogin.status).toBe(401);
      expect(newLogin.status).toBe(200);
    },
    REVOCATION_TEST_TIMEOUT_MS,
  );

  it(
    'logs out everywhere: every session of the user is denied and none can refresh',
    async () => {
      const user = await signUpAndLogIn(api, 'everywhere');
      const other = tokenPairSchema.parse(
        (await api.call('POST', '/identity/login', { body: { email: user.email, password: user.password } }))
          .body,
      );

      const logoutAll = await api.call('POST', '/identity/logout-all', { token: user.tokens.accessToken });
      const budgetMs = (target.authorizerCacheTtlSeconds + 10) * 1000;
      const denied = await Promise.all([
        deniedStatusOf(user.tokens.accessToken, budgetMs),
        deniedStatusOf(other.accessToken, budgetMs),
      ]);
      const refreshes = await Promise.all(
        [user.tokens.refreshToken, other.refreshToken].map((refreshToken) =>
          api.call('POST', '/identity/refresh', { body: { refreshToken } }),
        ),
      );

      expect(logoutAll.status).toBe(204);
      expect(denied.every((status) => status === 401 || status === 403)).toBe(true);
      expect(refreshes.map((r) => r.status)).toEqual([401, 401]);
    },
    REVOCATION_TEST_TIMEOUT_MS,
  );

  it('is refused with 403 when, as a customer, it tries to give itself the admin role', async () => {
    const user = await signUpAndLogIn(api, 'climber');

    const attempt = await api.call('PUT', `/identity/users/${user.userId}/roles`, {
      token: user.tokens.accessToken,
      body: { roles: ['customer', 'admin'] },
    });
    const me = await api.call<MeResponse>('GET', '/identity/me', { token: user.tokens.accessToken });

    expect(attempt.status).toBe(403);
    expect(errorBodySchema.parse(attempt.body).error.code).toBe('FORBIDDEN');
    expect(me.body.roles).toEqual(['customer']);
  });

  it('reads the public JWKS without a token', async () => {
    const jwks = await api.call('GET', '/identity/.well-known/jwks.json');

    expect(jwks.status).toBe(200);
    expect(jwksSchema.parse(jwks.body).keys.length).toBeGreaterThanOrEqual(1);
  });
});
