import { type AccessTokenClaims, accessTokenClaimsSchema, type TokenPair } from '@quanta/contracts/identity';
import { ApiError } from './errors';

/** Who is signed in, from the access token's claims (display only: the API decides access). */
export interface SignedInUser {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: readonly string[];
  /** When the access token expires (ms since the epoch). */
  readonly expiresAt: number;
}

/** Where the token pair is kept between page loads (`sessionStorage` in the browser). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Why a session ended, for the log-in page's notice. */
export type SignOutReason = 'logout' | 'expired';

/** Options of {@link Session}. */
export interface SessionOptions {
  readonly storage: TokenStorage;
  /** Exchanges a refresh token for a new pair (`POST /identity/refresh`). */
  readonly refresh: (refreshToken: string) => Promise<TokenPair>;
  /** @default Date.now */
  readonly now?: () => number;
  /** Refresh this long before the access token expires. @default 60000 */
  readonly refreshMarginMs?: number;
  /** Timers for the refresh ahead of expiry (tests pass fakes). @default globalThis's */
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

const STORAGE_KEY = 'quanta.session';

/**
 * The signed-in session: the token pair and its rotation. The access token is refreshed shortly
 * before it expires (a timer) and whenever a caller asks for it too late (a sleeping tab), with at most
 * one refresh in flight: identity treats two refreshes with one refresh token as reuse and revokes the
 * session (decision D14), so concurrent callers share the same refresh. Tokens are kept in
 * `sessionStorage`, per tab, for the same reason (two tabs would race on one refresh token).
 *
 * @example
 * ```ts
 * const session = new Session({ storage: sessionStorage, refresh: (token) => api.refresh(token) });
 * session.signIn(await api.login({ email, password }));
 * const token = await session.accessToken(); // refreshed first if it expires within a minute
 * ```
 */
export class Session {
  readonly #storage: TokenStorage;
  readonly #refresh: (refreshToken: string) => Promise<TokenPair>;
  readonly #now: () => number;
  readonly #marginMs: number;
  readonly #setTimer: (run: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  readonly #listeners = new Set<(user: SignedInUser | undefined, reason?: SignOutReason) => void>();
  #pair: TokenPair | undefined;
  #user: SignedInUser | undefined;
  #refreshing: Promise<string | undefined> | undefined;
  #timer: unknown;
  /** Bumped on every sign-in and sign-out, so a refresh that answers after one is dropped. */
  #generation = 0;

  constructor(options: SessionOptions) {
    this.#storage = options.storage;
    this.#refresh = options.refresh;
    this.#now = options.now ?? Date.now;
    this.#marginMs = options.refreshMarginMs ?? 60_000;
    this.#setTimer = options.setTimer ?? ((run, ms) => globalThis.setTimeout(run, ms));
    this.#clearTimer =
      options.clearTimer ?? ((timer) => globalThis.clearTimeout(timer as ReturnType<typeof setTimeout>));
    const stored = readStored(this.#storage);
    if (stored !== undefined) this.#adopt(stored);
  }

  /** The signed-in user, or undefined. */
  get user(): SignedInUser | undefined {
    return this.#user;
  }

  /** Whether the signed-in user has `role` (from the token's `roles` claim). */
  hasRole(role: string): boolean {
    return this.#user?.roles.includes(role) ?? false;
  }

  /** Calls `listener` after every sign-in, refresh and sign-out; returns the unsubscribe function. */
  onChange(listener: (user: SignedInUser | undefined, reason?: SignOutReason) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts a session with a pair from `POST /identity/login`. */
  signIn(pair: TokenPair): void {
    this.#generation++;
    this.#refreshing = undefined;
    this.#adopt(pair);
    this.#emit();
  }

  /** Forgets the tokens (the caller has already told the API, or the session is dead anyway). */
  signOut(reason: SignOutReason = 'logout'): void {
    if (this.#pair === undefined) return;
    this.#generation++;
    this.#refreshing = undefined;
    this.#pair = undefined;
    this.#user = undefined;
    this.#clearTimer(this.#timer);
    this.#storage.removeItem(STORAGE_KEY);
    this.#emit(reason);
  }

  /**
   * A valid access token: the current one, or a fresh one when it expires within the margin.
   * Undefined when nobody is signed in or the session has ended.
   */
  async accessToken(): Promise<string | undefined> {
    if (this.#pair === undefined || this.#user === undefined) return undefined;
    if (this.#user.expiresAt - this.#now() > this.#marginMs) return this.#pair.accessToken;
    return this.refreshNow();
  }

  /**
   * Rotates the refresh token now (or joins the rotation in flight). An API that refuses the refresh
   * token ends the session; a network failure keeps it and rethrows.
   */
  refreshNow(): Promise<string | undefined> {
    const pair = this.#pair;
    if (pair === undefined) return Promise.resolve(undefined);
    if (this.#refreshing !== undefined) return this.#refreshing;
    const generation = this.#generation;
    const refreshing = this.#refresh(pair.refreshToken).then(
      (next) => {
        if (generation !== this.#generation) return this.#pair?.accessToken;
        this.#refreshing = undefined;
        this.#adopt(next);
        this.#emit();
        return next.accessToken;
      },
      (error: unknown) => {
        if (generation !== this.#generation) return this.#pair?.accessToken;
        this.#refreshing = undefined;
        if (error instanceof ApiError && error.status === 401) {
          this.signOut('expired');
          return undefined;
        }
        throw error;
      },
    );
    this.#refreshing = refreshing;
    return refreshing;
  }

  #adopt(pair: TokenPair): void {
    const claims = claimsOf(pair.accessToken);
    if (claims === undefined) {
      this.#pair = undefined;
      this.#user = undefined;
      this.#storage.removeItem(STORAGE_KEY);
      return;
    }
    this.#pair = pair;
    this.#user = {
      userId: claims.sub,
      sessionId: claims.sid,
      roles: claims.roles,
      expiresAt: claims.exp * 1000,
    };
    this.#storage.setItem(STORAGE_KEY, JSON.stringify(pair));
    this.#clearTimer(this.#timer);
    const dueIn = Math.max(0, this.#user.expiresAt - this.#marginMs - this.#now());
    const generation = this.#generation;
    this.#timer = this.#setTimer(() => {
      if (generation === this.#generation) this.refreshNow().catch(() => undefined);
    }, dueIn);
  }

  #emit(reason?: SignOutReason): void {
    for (const listener of this.#listeners) listener(this.#user, reason);
  }
}

/** The claims of a JWT access token, read without verifying it (the API verifies; the client only displays). */
export function claimsOf(token: string): AccessTokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const parsed = accessTokenClaimsSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function readStored(storage: TokenStorage): TokenPair | undefined {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as Partial<TokenPair>;
    if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string') return undefined;
    return {
      accessToken: value.accessToken,
      refreshToken: value.refreshToken,
      tokenType: 'Bearer',
      expiresIn: typeof value.expiresIn === 'number' ? value.expiresIn : 1,
    };
  } catch {
    return undefined;
  }
}
