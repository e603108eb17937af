import type { TokenPair } from '@quanta/contracts/identity';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors';
import { Session, type TokenStorage } from '../src/Session';

const NOW = 1_800_000_000_000;

/** An unsigned access token with the claims the client reads (the client never verifies). */
function tokenPair(n: number, expiresAtMs: number, roles: string[] = ['customer']): TokenPair {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const claims = {
    iss: 'https://identity.quanta.local',
    aud: 'quanta-api',
    sub: 'user-1',
    sid: 'session-1',
    roles,
    jti: `jti-${n}`,
    iat: Math.floor((expiresAtMs - 900_000) / 1000),
    nbf: Math.floor((expiresAtMs - 900_000) / 1000),
    exp: Math.floor(expiresAtMs / 1000),
  };
  return {
    accessToken: `${encode({ alg: 'ES256', kid: 'k' })}.${encode(claims)}.signature`,
    refreshToken: `refresh-token-number-${n}`,
    tokenType: 'Bearer',
    expiresIn: 900,
  };
}

class MemoryStorage implements TokenStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** A session on a fake clock and fake timers, whose refresh answers as `answer` says. */
function sessionWith(answer: (refreshToken: string) => Promise<TokenPair>) {
  let now = NOW;
  const timers: Array<{ run: () => void; at: number }> = [];
  const refreshed: string[] = [];
  const storage = new MemoryStorage();
  const session = new Session({
    storage,
    refresh: (token) => {
      refreshed.push(token);
      return answer(token);
    },
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { run, at: now + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const i = timers.indexOf(timer as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const advance = (ms: number): void => {
    now += ms;
    for (const timer of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  return { session, storage, refreshed, advance };
}

describe('Session', () => {
  it('refreshes a minute before the access token expires, with one refresh for every caller at once', async () => {
    let release: (pair: TokenPair) => void = () => undefined;
    const { session, refreshed, advance } = sessionWith(
      () =>
        new Promise<TokenPair>((resolve) => {
          release = resolve;
        }),
    );
    session.signIn(tokenPair(1, NOW + 900_000));

    expect(await session.accessToken()).toBe(tokenPair(1, NOW + 900_000).accessToken);
    advance(840_000);
    const waiting = [session.accessToken(), session.accessToken(), session.refreshNow()];
    release(tokenPair(2, NOW + 1_740_000));

    expect(refreshed).toEqual(['refresh-token-number-1']);
    expect(new Set(await Promise.all(waiting))).toEqual(new Set([tokenPair(2, NOW + 1_740_000).accessToken]));
    expect(session.user?.expiresAt).toBe(NOW + 1_740_000);
  });

  it('ends the session when the API refuses the refresh token, and keeps it when the network fails', async () => {
    let failure: unknown = new ApiError(0, 'NETWORK_ERROR', 'offline');
    const { session, storage } = sessionWith(() => Promise.reject(failure));
    const reasons: Array<string | undefined> = [];
    session.onChange((user, reason) => {
      if (user === undefined) reasons.push(reason);
    });
    session.signIn(tokenPair(1, NOW + 30_000));

    await expect(session.accessToken()).rejects.toThrow('offline');
    expect(session.user?.userId).toBe('user-1');
    failure = new ApiError(401, 'INVALID_REFRESH_TOKEN', 'refused');

    expect(await session.accessToken()).toBeUndefined();
    expect(session.user).toBeUndefined();
    expect(storage.items.size).toBe(0);
    expect(reasons).toEqual(['expired']);
  });

  it('comes back after a reload from its storage, with the roles of the token', () => {
    const first = sessionWith(() => Promise.reject(new Error('unused')));
    first.session.signIn(tokenPair(1, NOW + 900_000, ['customer', 'admin']));

    const reloaded = new Session({
      storage: first.storage,
      refresh: () => Promise.reject(new Error('unused')),
      now: () => NOW,
      setTimer: () => undefined,
      clearTimer: () => undefined,
    });

    expect(reloaded.user).toMatchObject({
      userId: 'user-1',
      sessionId: 'session-1',
      roles: ['customer', 'admin'],
    });
    expect(reloaded.hasRole('admin')).toBe(true);
  });

  it('drops a refresh that answers after the person logged out', async () => {
    let release: (pair: TokenPair) => void = () => undefined;
    const { session, storage } = sessionWith(
      () =>
        new Promise<TokenPair>((resolve) => {
          release = resolve;
        }),
    );
    session.signIn(tokenPair(1, NOW + 10_000));
    const pending = session.accessToken();

    session.signOut('logout');
    release(tokenPair(2, NOW + 900_000));

    expect(await pending).toBeUndefined();
    expect(session.user).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });

  it('refuses a token whose claims it cannot read, as nobody signed in', () => {
    const { session } = sessionWith(() => Promise.reject(new Error('unused')));

    session.signIn({ ...tokenPair(1, NOW + 900_000), accessToken: 'not-a-jwt' });

    expect(session.user).toBeUndefined();
  });
});
