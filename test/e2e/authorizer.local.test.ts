import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { MeResponse } from '@quanta/contracts/identity';
import { jwksSchema } from '@quanta/contracts/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/LocalCloud';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { claimsOf, hs256WithPublicKey, signEs256, unsignedToken } from './support/forgeToken';
import { HttpClient } from './support/HttpClient';
import type { TestUser } from './support/users';
import { signUpAndLogIn } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * The authorizer's rejection matrix, through the local cloud's HTTP API: every bad token is refused
 * with 401/403 (never a 5xx) and the route's function is never invoked. Local only: forging tokens
 * that are validly signed but wrong in one claim needs the signing key, which only the local cloud
 * holds (in AWS it never leaves KMS).
 */
let target: E2eTarget;
let cloud: LocalCloud;
let api: HttpClient;
let user: TestUser;
let kid: string;
let signingKey: import('node:crypto').JsonWebKey;

/** Invocations of the route under test (the authorizer's own JWKS fetches also reach identity.api). */
let meInvocations = 0;

beforeAll(async () => {
  target = await startE2eTarget({
    authorizerCacheTtlSeconds: 0,
    onInvoke: (functionId, event) => {
      if (functionId === 'identity.api' && (event as { rawPath?: string }).rawPath === '/identity/me')
        meInvocations++;
    },
  });
  if (target.cloud === undefined) throw new Error('authorizer.local.test.ts runs on the local cloud only');
  cloud = target.cloud;
  api = new HttpClient(target.httpUrl);
  user = await signUpAndLogIn(api, 'matrix');
  const [current] = cloud.signingKeysOf('identity');
  if (current === undefined) throw new Error('identity has no signing key');
  signingKey = current;
  const jwks = jwksSchema.parse((await api.call('GET', '/identity/.well-known/jwks.json')).body);
  const published = jwks.keys.find((k) => k.x === current.x && k.y === current.y);
  if (published === undefined) throw new Error('the current signing key is not in the JWKS');
  kid = published.kid;
});
afterAll(async () => {
  await target.stop();
});

/** Claims of the logged-in user's real token, with `changes` applied. */
function claimsWith(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...claimsOf(user.tokens.accessToken), ...changes };
}

const now = (): number => Math.floor(Date.now() / 1000);

/** The longest `exp - iat` the authorizer accepts by default: the access-token lifetime plus 60 s of skew. */
const maxLifetime = (): number => (target.registry?.auth.accessTokenTtlSeconds ?? 900) + 60;

/** Claims of a token issued now that expires in ten years. */
const tenYearToken = () => ({ iat: now(), nbf: now(), exp: now() + 10 * 365 * 24 * 3600 });

/** Calls GET /identity/me with `authorization` and reports the status and whether identity.api ran. */
async function attempt(
  authorization: string | undefined,
): Promise<{ status: number; routeInvoked: boolean }> {
  const before = meInvocations;
  const response = await api.call('GET', '/identity/me', {
    ...(authorization === undefined ? {} : { headers: { authorization } }),
  });
  return { status: response.status, routeInvoked: meInvocations > before };
}

describe('the platform authorizer', () => {
  it('accepts the real token, so the matrix below is not vacuous', async () => {
    const result = await attempt(`Bearer ${user.tokens.accessToken}`);

    expect(result).toEqual({ status: 200, routeInvoked: true });
  });

  it('answers 401 without a header and without calling the authorizer or the route', async () => {
    const authorizerCalls = cloud.invocations.count('platform.authorizer');

    const result = await attempt(undefined);

    expect(result).toEqual({ status: 401, routeInvoked: false });
    expect(cloud.invocations.count('platform.authorizer')).toBe(authorizerCalls);
  });

  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const forged: ReadonlyArray<[string, () => string]> = [
    ['garbage', () => 'Bearer not-a-jwt-at-all'],
    ['a scheme without a token', () => 'Bearer'],
    ['a token without the Bearer scheme', () => `Basic ${user.tokens.accessToken}`],
    ['alg none', () => `Bearer ${unsignedToken(kid, claimsWith({}))}`],
    [
      'HS256 signed with the public key',
      () => `Bearer ${hs256WithPublicKey(signingKey, kid, claimsWith({}))}`,
    ],
    [
      'a signature from another key under the real kid',
      () => `Bearer ${signEs256(otherKey, kid, claimsWith({}))}`,
    ],
    [
      'a tampered payload',
      () => {
        const [h, , s] = user.tokens.accessToken.split('.');
        const payload = Buffer.from(JSON.stringify(claimsWith({ roles: ['admin'] }))).toString('base64url');
        return `Bearer ${h}.${payload}.${s}`;
      },
    ],
    ['an unknown kid', () => `Bearer ${signEs256(signingKey, 'no-such-kid', claimsWith({}))}`],
    ['an expired token', () => `Bearer ${signEs256(signingKey, kid, claimsWith({ exp: now() - 60 }))}`],
    [
      'a not-yet-valid token',
      () => `Bearer ${signEs256(signingKey, kid, claimsWith({ nbf: now() + 600, exp: now() + 900 }))}`,
    ],
    [
      'a wrong issuer',
      () => `Bearer ${signEs256(signingKey, kid, claimsWith({ iss: 'https://evil.example' }))}`,
    ],
    ['a wrong audience', () => `Bearer ${signEs256(signingKey, kid, claimsWith({ aud: 'another-api' }))}`],
    [
      'a token without a session id',
      () => `Bearer ${signEs256(signingKey, kid, claimsWith({ sid: undefined }))}`,
    ],
    [
      'a correctly signed token that lives ten years',
      () => `Bearer ${signEs256(signingKey, kid, claimsWith(tenYearToken()))}`,
    ],
    [
      'a token living one second longer than the access-token lifetime plus the skew',
      () =>
        `Bearer ${signEs256(signingKey, kid, claimsWith({ iat: now(), exp: now() + maxLifetime() + 1 }))}`,
    ],
    ['a token without iat', () => `Bearer ${signEs256(signingKey, kid, claimsWith({ iat: undefined }))}`],
    [
      'a token issued in the future (iat ten years ahead)',
      () => {
        const later = now() + 10 * 365 * 24 * 3600;
        return `Bearer ${signEs256(signingKey, kid, claimsWith({ iat: later, exp: later + 900 }))}`;
      },
    ],
  ];

  it.each(forged)('refuses %s with 401/403 and never invokes the route', async (_name, authorization) => {
    const result = await attempt(authorization());

    expect([401, 403]).toContain(result.status);
    expect(result.routeInvoked).toBe(false);
  });

  it('accepts a token living exactly the access-token lifetime plus the skew', async () => {
    const token = signEs256(signingKey, kid, claimsWith({ iat: now(), exp: now() + maxLifetime() }));

    const result = await attempt(`Bearer ${token}`);

    expect(result).toEqual({ status: 200, routeInvoked: true });
  });

  it('gives no WebSocket ticket for a long-lived token, so the WebSocket path is closed to it too', async () => {
    const token = signEs256(signingKey, kid, claimsWith(tenYearToken()));
    const issuedBefore = cloud.invocations.count('platform.api');

    const response = await api.call('POST', '/realtime/tickets', { token });

    expect([401, 403]).toContain(response.status);
    expect(cloud.invocations.count('platform.api')).toBe(issuedBefore);
  });

  it('refuses a validly signed token of a revoked session', async () => {
    const victim = await signUpAndLogIn(api, 'revoked');
    const token = victim.tokens.accessToken;
    expect((await api.call('POST', '/identity/logout', { token })).status).toBe(204);

    const status = await waitFor('the revocation to reach the denylist', async () => {
      const result = await attempt(`Bearer ${token}`);
      return result.status === 200 ? undefined : result;
    });

    expect([401, 403]).toContain(status.status);
    expect(status.routeInvoked).toBe(false);
  });

  it('still accepts a token signed with the previous key, so a rotation logs nobody out', async () => {
    const previous = cloud.signingKeysOf('identity')[1];
    if (previous === undefined) throw new Error('identity has no previous signing key');
    const jwks = jwksSchema.parse((await api.call('GET', '/identity/.well-known/jwks.json')).body);
    const previousKid = jwks.keys.find((k) => k.x === previous.x && k.y === previous.y)?.kid ?? 'missing';

    const result = await attempt(`Bearer ${signEs256(previous, previousKid, claimsWith({}))}`);

    expect(result).toEqual({ status: 200, routeInvoked: true });
  });

  it('ignores identity headers a client sends', async () => {
    const other = await signUpAndLogIn(api, 'other');

    const me = await api.call<MeResponse>('GET', '/identity/me', {
      token: user.tokens.accessToken,
      headers: {
        'x-user-id': other.userId,
        'x-authenticated-user-id': other.userId,
        'x-amzn-oidc-identity': other.userId,
        'x-roles': 'admin',
      },
    });

    expect(me.status).toBe(200);
    expect(me.body.userId).toBe(user.userId);
    expect(me.body.roles).toEqual(['customer']);
  });

  it('serves the current and the previous signing key in the JWKS', async () => {
    const jwks = jwksSchema.parse((await api.call('GET', '/identity/.well-known/jwks.json')).body);
    const keys = cloud.signingKeysOf('identity');

    expect(jwks.keys).toHaveLength(2);
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(2);
    for (const key of keys) {
      const publicJwk = createPublicKey({ key, format: 'jwk' }).export({ format: 'jwk' });
      expect(jwks.keys.some((k) => k.x === publicJwk.x && k.y === publicJwk.y)).toBe(true);
    }
  });
});
