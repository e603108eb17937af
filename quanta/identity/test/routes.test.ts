import { errorBodySchema } from '@quanta/contracts/http';
import {
  jwksSchema,
  meResponseSchema,
  signupResponseSchema,
  tokenPairSchema,
  userRolesResponseSchema,
} from '@quanta/contracts/identity';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { httpApiEvent, lambdaContext, testObservability } from '@quanta/runtime/testing';
import { describe, expect, it } from 'vitest';
import { routes } from '../functions/routes';
import identity from '../quantum';
import { buildTestIdentity } from './fakes/buildTestIdentity';
import { verifyEs256 } from './fakes/verifyEs256';

function api() {
  const built = buildTestIdentity();
  const router = createRouter(
    identity.routes ?? [],
    routes({ service: built.service, profiles: built.profiles, roles: built.administration }),
  );
  const handler = httpHandler(router, { observability: testObservability('identity') });
  const call = async (input: Parameters<typeof httpApiEvent>[0]) => {
    const response = await handler(httpApiEvent(input), lambdaContext());
    return { ...response, json: response.body === '' ? undefined : (JSON.parse(response.body) as unknown) };
  };
  return { call, ...built };
}

const signup = { email: 'Ada@Example.com', password: 'correct horse battery', displayName: 'Ada' };

describe('identity api routes', () => {
  it('signs up with 201 and a userId, normalizing the e-mail', async () => {
    // Arrange
    const { call, profiles } = api();

    // Act
    const response = await call({ method: 'POST', path: '/identity/signup', body: signup });

    // Assert
    expect(response.statusCode).toBe(201);
    const { userId } = signupResponseSchema.parse(response.json);
    expect((await profiles.get(userId)).email).toBe('ada@example.com');
  });

  it('answers 409 EMAIL_TAKEN for a second signup with the same e-mail', async () => {
    // Arrange
    const { call } = api();
    await call({ method: 'POST', path: '/identity/signup', body: signup });

    // Act
    const response = await call({ method: 'POST', path: '/identity/signup', body: signup });

    // Assert
    expect(response.statusCode).toBe(409);
    expect(errorBodySchema.parse(response.json).error.code).toBe('EMAIL_TAKEN');
  });

  it('answers 400 with the failing fields for a weak password and a bad e-mail', async () => {
    // Arrange
    const { call } = api();

    // Act
    const response = await call({
      method: 'POST',
      path: '/identity/signup',
      body: { email: 'nope', password: 'short', displayName: 'A' },
    });

    // Assert
    expect(response.statusCode).toBe(400);
    const details = errorBodySchema.parse(response.json).error.details as { path: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(['email', 'password']);
  });

  it('logs in with 200 and a Bearer token pair, refreshes, reads me, logs out with 204', async () => {
    // Arrange
    const { call, keyRing } = api();
    await call({ method: 'POST', path: '/identity/signup', body: signup });

    // Act
    const login = await call({
      method: 'POST',
      path: '/identity/login',
      body: { email: signup.email, password: signup.password },
    });
    const pair = tokenPairSchema.parse(login.json);
    const { claims } = verifyEs256(pair.accessToken, await keyRing.publicJwks());
    const caller = {
      userId: String(claims.sub),
      sessionId: String(claims.sid),
      roles: claims.roles as string[],
    };
    const refreshed = await call({
      method: 'POST',
      path: '/identity/refresh',
      body: { refreshToken: pair.refreshToken },
    });
    const me = await call({ method: 'GET', path: '/identity/me', caller });
    const logout = await call({ method: 'POST', path: '/identity/logout', caller });

    // Assert
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    expect(refreshed.statusCode).toBe(200);
    expect(meResponseSchema.parse(me.json)).toEqual({
      userId: caller.userId,
      email: 'ada@example.com',
      displayName: 'Ada',
      roles: ['customer'],
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.body).toBe('');
  });

  it('answers 401 INVALID_CREDENTIALS for a wrong password', async () => {
    // Arrange
    const { call } = api();
    await call({ method: 'POST', path: '/identity/signup', body: signup });

    // Act
    const response = await call({
      method: 'POST',
      path: '/identity/login',
      body: { email: signup.email, password: 'nope' },
    });

    // Assert
    expect(response.statusCode).toBe(401);
    expect(errorBodySchema.parse(response.json).error.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses me without an authorizer context, whatever identity headers say', async () => {
    // Arrange
    const { call } = api();

    // Act
    const response = await call({ method: 'GET', path: '/identity/me', headers: { 'x-user-id': 'u1' } });

    // Assert
    expect(response.statusCode).toBe(401);
  });

  it('serves the JWKS with both keys, publicly cacheable for 5 minutes', async () => {
    // Arrange
    const { call } = api();

    // Act
    const response = await call({ method: 'GET', path: '/identity/.well-known/jwks.json' });

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(jwksSchema.parse(response.json).keys).toHaveLength(2);
    expect(JSON.stringify(response.json)).not.toContain('"d"');
  });

  it('answers PUT roles 403 for a customer, 200 with the roles for an admin, 404 for an unknown user', async () => {
    // Arrange
    const { call } = api();
    const signedUp = await call({ method: 'POST', path: '/identity/signup', body: signup });
    const { userId } = signupResponseSchema.parse(signedUp.json);
    const path = `/identity/users/${userId}/roles`;
    const customer = { userId: 'c1', sessionId: 's1', roles: ['customer'] };
    const admin = { userId: 'a1', sessionId: 's2', roles: ['customer', 'admin'] };

    // Act
    const refused = await call({ method: 'PUT', path, caller: customer, body: { roles: ['admin'] } });
    const granted = await call({
      method: 'PUT',
      path,
      caller: admin,
      body: { roles: ['customer', 'admin'] },
    });
    const unknown = await call({
      method: 'PUT',
      path: '/identity/users/nobody/roles',
      caller: admin,
      body: { roles: ['admin'] },
    });

    // Assert
    expect(refused.statusCode).toBe(403);
    expect(errorBodySchema.parse(refused.json).error.code).toBe('FORBIDDEN');
    expect(granted.statusCode).toBe(200);
    expect(userRolesResponseSchema.parse(granted.json)).toEqual({ userId, roles: ['customer', 'admin'] });
    expect(unknown.statusCode).toBe(404);
    expect(errorBodySchema.parse(unknown.json).error.code).toBe('USER_NOT_FOUND');
  });

  it('answers PUT roles 400 for an unknown role, a role listed twice or a missing list', async () => {
    // Arrange
    const { call } = api();
    const admin = { userId: 'a1', sessionId: 's2', roles: ['customer', 'admin'] };
    const path = '/identity/users/u1/roles';

    // Act
    const responses = await Promise.all(
      [{ roles: ['root'] }, { roles: ['admin', 'admin'] }, {}, { roles: 'admin' }].map((body) =>
        call({ method: 'PUT', path, caller: admin, body }),
      ),
    );

    // Assert
    for (const response of responses) {
      expect(response.statusCode).toBe(400);
      expect(errorBodySchema.parse(response.json).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('changes the password with 204, refuses a wrong current one with 403, and logs out everywhere with 204', async () => {
    // Arrange
    const { call, keyRing } = api();
    await call({ method: 'POST', path: '/identity/signup', body: signup });
    const login = await call({
      method: 'POST',
      path: '/identity/login',
      body: { email: signup.email, password: signup.password },
    });
    const { claims } = verifyEs256(tokenPairSchema.parse(login.json).accessToken, await keyRing.publicJwks());
    const caller = { userId: String(claims.sub), sessionId: String(claims.sid), roles: ['customer'] };

    // Act
    const wrong = await call({
      method: 'POST',
      path: '/identity/password',
      caller,
      body: { currentPassword: 'a wrong guess', newPassword: 'a brand new passphrase' },
    });
    const weak = await call({
      method: 'POST',
      path: '/identity/password',
      caller,
      body: { currentPassword: signup.password, newPassword: 'short' },
    });
    const changed = await call({
      method: 'POST',
      path: '/identity/password',
      caller,
      body: { currentPassword: signup.password, newPassword: 'a brand new passphrase' },
    });
    const everywhere = await call({ method: 'POST', path: '/identity/logout-all', caller });

    // Assert
    expect(wrong.statusCode).toBe(403);
    expect(errorBodySchema.parse(wrong.json).error.code).toBe('INVALID_CURRENT_PASSWORD');
    expect(weak.statusCode).toBe(400);
    expect(changed.statusCode).toBe(204);
    expect(everywhere.statusCode).toBe(204);
  });

  it('answers a locked account with 429, the error body and Retry-After in seconds', async () => {
    // Arrange
    const { call } = api();
    await call({ method: 'POST', path: '/identity/signup', body: signup });
    const attempt = (password: string) =>
      call({ method: 'POST', path: '/identity/login', body: { email: signup.email, password } });
    for (let i = 0; i < 10; i++) await attempt('not the password');

    // Act
    const response = await attempt(signup.password);

    // Assert
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('60');
    expect(errorBodySchema.parse(response.json).error.code).toBe('TOO_MANY_REQUESTS');
  });
});
