import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorBodySchema } from '@quanta/contracts/http';
import { RolesChanged, SessionRevoked, type TokenPair, tokenPairSchema } from '@quanta/contracts/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { claimsOf } from './support/forgeToken';
import { type ApiResponse, HttpClient } from './support/HttpClient';
import { signUpAndLogIn, type TestUser } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * identity's security on the local cloud, as a client and an operator see it: the first admin
 * granted with `npm run identity -- grant-role`, roles applied at the next refresh, admin taken away
 * ending the user's sessions, the per-account lock (known and unknown e-mails alike) and the
 * per-source limits, all with low limits so they are reached in seconds. Every request comes from
 * 127.0.0.1, so the per-source counters add up over the file: its tests run in order, and the two
 * that exhaust them come last.
 */
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const LIMITS = {
  LOGIN_LOCK_SECONDS: '600',
  LOGIN_ATTEMPTS_PER_IP: '60',
  LOGIN_IP_WINDOW_SECONDS: '3600',
  SIGNUPS_PER_IP: '8',
  SIGNUP_IP_WINDOW_SECONDS: '3600',
};
const password = 'correct horse battery staple';

let target: E2eTarget;
let api: HttpClient;
/** Alice, made admin with the operator command in the first test. */
let alice: TestUser;
let aliceToken: string;

beforeAll(async () => {
  target = await startE2eTarget({ authorizerCacheTtlSeconds: 1, environment: { identity: LIMITS } });
  api = new HttpClient(target.httpUrl);
});
afterAll(async () => {
  await target.stop();
});

/** `npm run identity -- <args>` against this file's local cloud, as an operator types it. */
async function identityCommand(...args: string[]): Promise<string> {
  const { cloud, registry } = target;
  if (cloud === undefined || registry === undefined)
    throw new Error('the operator command needs the local cloud');
  const { stdout } = await run(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [
      'tools/identity.ts',
      ...args,
      '--endpoint',
      cloud.urls.dynamodb,
      '-c',
      `quanta:prefix=${registry.prefix}`,
    ],
    { cwd: root, timeout: 60_000 },
  );
  return stdout;
}

async function refresh(refreshToken: string): Promise<ApiResponse<TokenPair>> {
  return api.call<TokenPair>('POST', '/identity/refresh', { body: { refreshToken } });
}

async function logIn(email: string, pw: string): Promise<ApiResponse> {
  return api.call('POST', '/identity/login', { body: { email, password: pw } });
}

function newProduct(name: string) {
  return { name, description: 'd', priceCents: 100, currency: 'EUR', stock: 1 };
}

describe('roles by grant', () => {
  it('grants the first admin with the operator command; the role applies at the next refresh', async () => {
    alice = await signUpAndLogIn(api, 'alice');
    const before = await api.call('POST', '/catalog/products', {
      token: alice.tokens.accessToken,
      body: newProduct('Before'),
    });
    const ownGrant = await api.call('PUT', `/identity/users/${alice.userId}/roles`, {
      token: alice.tokens.accessToken,
      body: { roles: ['customer', 'admin'] },
    });

    const output = await identityCommand('grant-role', alice.email, 'admin', '--by', 'e2e');
    const stale = await api.call('POST', '/catalog/products', {
      token: alice.tokens.accessToken,
      body: newProduct('Stale token'),
    });
    const refreshed = await refresh(alice.tokens.refreshToken);
    aliceToken = tokenPairSchema.parse(refreshed.body).accessToken;
    const after = await api.call('POST', '/catalog/products', {
      token: aliceToken,
      body: newProduct('After'),
    });

    expect(before.status).toBe(403);
    expect(ownGrant.status).toBe(403);
    expect(errorBodySchema.parse(ownGrant.body).error.code).toBe('FORBIDDEN');
    expect(output).toContain(`${alice.email} (${alice.userId})`);
    expect(output).toContain('customer, admin');
    expect(output).toContain('"audit":"identity.roles.changed"');
    expect(stale.status).toBe(403);
    expect(claimsOf(aliceToken).roles).toEqual(['customer', 'admin']);
    expect(after.status).toBe(201);
    const changed = await waitFor('RolesChanged on the bus', async () =>
      target.cloud?.bus.archive
        .between(new Date(0), new Date(Date.now() + 60_000))
        .map((a) => a.event)
        .find((e) => e['detail-type'] === 'RolesChanged'),
    );
    expect(RolesChanged.envelope.parse(changed.detail).data).toEqual({
      userId: alice.userId,
      roles: ['customer', 'admin'],
      previousRoles: ['customer'],
      changedBy: 'operator:e2e',
    });
  }, 90_000);

  it('lets an admin set roles: 200 with the roles, 400 for an unknown role, 404 for an unknown user', async () => {
    const bob = await signUpAndLogIn(api, 'bob');

    const granted = await api.call('PUT', `/identity/users/${bob.userId}/roles`, {
      token: aliceToken,
      body: { roles: ['admin'] },
    });
    const badRole = await api.call('PUT', `/identity/users/${bob.userId}/roles`, {
      token: aliceToken,
      body: { roles: ['root'] },
    });
    const unknown = await api.call('PUT', '/identity/users/0b6f0000-0000-4000-8000-000000000000/roles', {
      token: aliceToken,
      body: { roles: ['admin'] },
    });

    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ userId: bob.userId, roles: ['customer', 'admin'] });
    expect(badRole.status).toBe(400);
    expect(errorBodySchema.parse(badRole.body).error.code).toBe('VALIDATION_FAILED');
    expect(unknown.status).toBe(404);
    expect(errorBodySchema.parse(unknown.body).error.code).toBe('USER_NOT_FOUND');
  });

  it('ends every session of a user whose admin role is taken away', async () => {
    const carol = await signUpAndLogIn(api, 'carol');
    await api.call('PUT', `/identity/users/${carol.userId}/roles`, {
      token: aliceToken,
      body: { roles: ['admin'] },
    });
    const sessions = [
      tokenPairSchema.parse((await logIn(carol.email, carol.password)).body),
      tokenPairSchema.parse((await logIn(carol.email, carol.password)).body),
    ];
    expect(sessions.every((s) => (claimsOf(s.accessToken).roles as string[]).includes('admin'))).toBe(true);

    const revoked = await api.call('PUT', `/identity/users/${carol.userId}/roles`, {
      token: aliceToken,
      body: { roles: ['customer'] },
    });
    const denied = await Promise.all(
      sessions.map((s) =>
        waitFor(
          'the revoked session to be denied',
          async () => {
            const me = await api.call('GET', '/identity/me', { token: s.accessToken });
            return me.status === 200 ? undefined : me.status;
          },
          { timeoutMs: 15_000, intervalMs: 200 },
        ),
      ),
    );
    const refreshes = await Promise.all(sessions.map((s) => refresh(s.refreshToken)));

    expect(revoked.status).toBe(200);
    expect(denied.every((status) => status === 401 || status === 403)).toBe(true);
    expect(refreshes.map((r) => r.status)).toEqual([401, 401]);
    const events = target.cloud?.bus.archive
      .between(new Date(0), new Date(Date.now() + 60_000))
      .map((a) => a.event)
      .filter((e) => e['detail-type'] === 'SessionRevoked')
      .map((e) => SessionRevoked.envelope.parse(e.detail).data)
      .filter((d) => d.userId === carol.userId);
    expect(events?.map((d) => d.reason)).toEqual(expect.arrayContaining(['ROLES_CHANGED', 'ROLES_CHANGED']));
    expect(events?.length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('the per-account lock', () => {
  /**
   * Ten wrong passwords, then the right one: the statuses and the last answer. One at a time: each
   * costs a password hash, and ten at once on a busy laptop can starve a worker past its timeout.
   */
  async function tenWrongThenRight(email: string, right: string) {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await logIn(email, 'not the password at all')).status);
    const last = await logIn(email, right);
    return { statuses, last };
  }
  /** What a known account got, for the unknown one to be compared with. */
  let known: Awaited<ReturnType<typeof tenWrongThenRight>>;

  it('answers 10 wrong passwords with 401 and then 429 with Retry-After, even for the right password', async () => {
    const dave = await signUpAndLogIn(api, 'dave');

    known = await tenWrongThenRight(dave.email, dave.password);

    expect(known.statuses, target.reports.slice(-5).join('\n')).toEqual(Array(10).fill(401));
    expect(known.last.status).toBe(429);
    expect(errorBodySchema.parse(known.last.body).error.code).toBe('TOO_MANY_REQUESTS');
    const retryAfter = Number(known.last.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(target.logs.some((l) => l.includes('"audit":"identity.login.failed"'))).toBe(true);
    expect(target.logs.some((l) => l.includes('"audit":"identity.login.locked"'))).toBe(true);
  }, 120_000);

  it('answers an unknown e-mail exactly as a known one: 10 × 401, then the same 429', async () => {
    const unknown = await tenWrongThenRight('nobody-at-all@example.com', password);

    expect(unknown.statuses, target.reports.slice(-5).join('\n')).toEqual(known.statuses);
    expect(unknown.last.status).toBe(429);
    expect(unknown.last.body).toEqual(known.last.body);
    // Both are a first lock (600 s here), counted down from when each was set.
    const retryAfter = Number(unknown.last.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(570);
    expect(retryAfter).toBeLessThanOrEqual(600);
  }, 120_000);
});

describe('the per-source limits', () => {
  it('answers 429 with Retry-After to every login from a source past its attempts, the right password included', async () => {
    const frank = await signUpAndLogIn(api, 'frank');
    // Cheap attempts: an account locked above answers 429 without hashing, but each still counts for the source.
    for (let i = 0; i < Number(LIMITS.LOGIN_ATTEMPTS_PER_IP); i++)
      await logIn('nobody-at-all@example.com', 'x');

    const right = await logIn(frank.email, frank.password);

    expect(right.status).toBe(429);
    expect(errorBodySchema.parse(right.body).error.code).toBe('TOO_MANY_REQUESTS');
    const retryAfter = Number(right.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  });

  it('answers 429 with Retry-After to signups from a source past its limit', async () => {
    const answers: ApiResponse[] = [];
    for (let i = 0; i <= Number(LIMITS.SIGNUPS_PER_IP); i++) {
      const answer = await api.call('POST', '/identity/signup', {
        body: { email: `late-${i}-${Date.now()}@example.com`, password, displayName: 'Late' },
      });
      answers.push(answer);
      if (answer.status === 429) break;
    }

    const last = answers.at(-1);
    expect(answers.slice(0, -1).every((a) => a.status === 201)).toBe(true);
    expect(last?.status).toBe(429);
    expect(errorBodySchema.parse(last?.body).error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(target.logs.some((l) => l.includes('"audit":"identity.signup.throttled"'))).toBe(true);
  }, 120_000);
});
