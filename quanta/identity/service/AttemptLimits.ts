import { TooManyRequestsError } from '@quanta/runtime/errors';
import type { AuditLog } from '../domain/Audit';
import { accountKeyOf, sourceNetworkOf, type ThrottleStore } from '../domain/Throttle';

/** The abuse limits (identity `api`'s environment, from the manifest; overridable per deployment). */
export interface AttemptLimitSettings {
  /** Consecutive failed password checks of one account before it locks (1..10). */
  readonly loginMaxFailures: number;
  /** First lock of an account, in seconds; each further lock doubles it. */
  readonly loginLockSeconds: number;
  /** Longest lock, in seconds: the backoff stops growing there. */
  readonly loginLockMaxSeconds: number;
  /** Login attempts allowed from one source network per window. */
  readonly loginAttemptsPerIp: number;
  readonly loginIpWindowSeconds: number;
  /** Signups allowed from one source network per window. */
  readonly signupsPerIp: number;
  readonly signupIpWindowSeconds: number;
}

/** Dependencies of {@link AttemptLimits}. */
interface AttemptLimitsOptions {
  readonly store: ThrottleStore;
  readonly audit: AuditLog;
  readonly settings: AttemptLimitSettings;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** Where an attempt comes from. */
export interface AttemptOrigin {
  readonly correlationId: string;
  /** The client's address as API Gateway reports it (`requestContext.http.sourceIp`). */
  readonly sourceIp: string;
}

/** Why a password is being checked (it shows in the audit trail). */
export type PasswordCheckPurpose = 'login' | 'password-change';

/** A password check that {@link AttemptLimits.startPasswordCheck} let through. */
export interface PasswordCheck {
  /** The password was wrong (or the account unknown): counts the failure, locking the account at the limit. */
  failed(userId: string | undefined): Promise<void>;
  /** The password was right: the account's failures and locks are forgotten. */
  succeeded(userId: string, sessionId?: string): Promise<void>;
}

/** How long an account's failures and lock count are remembered after its last failure. */
const FAILURE_MEMORY_SECONDS = 24 * 3600;
/** One answer for every limit, so a 429 says nothing about whether an account exists. */
const TOO_MANY = 'Too many attempts; retry after the number of seconds in Retry-After';

/**
 * The brute-force and abuse limits in front of password checks and signups:
 * - per account (the e-mail, known or not): at most `loginMaxFailures` consecutive failures, then a
 *   lock of `loginLockSeconds`, doubling with each further lock up to `loginLockMaxSeconds`; while
 *   locked every attempt, the right password included, is a 429 and costs no password hash;
 * - per source network (an IPv4 address, an IPv6 /64): login attempts and signups per window.
 * A refusal is a 429 `TOO_MANY_REQUESTS` with `Retry-After`, identical for known and unknown accounts.
 *
 * @example
 * ```ts
 * const check = await limits.startPasswordCheck(email, 'login', origin); // or a 429
 * if (!(await hasher.verify(password, user?.passwordHash))) await check.failed(user?.userId);
 * ```
 */
export class AttemptLimits {
  readonly #o: Required<AttemptLimitsOptions>;

  constructor(options: AttemptLimitsOptions) {
    const s = options.settings;
    if (!Number.isInteger(s.loginMaxFailures) || s.loginMaxFailures < 1 || s.loginMaxFailures > 10) {
      throw new RangeError(`loginMaxFailures must be 1..10, got ${s.loginMaxFailures}`);
    }
    if (s.loginLockMaxSeconds < s.loginLockSeconds) {
      throw new RangeError(
        `loginLockMaxSeconds (${s.loginLockMaxSeconds}) must not be below loginLockSeconds (${s.loginLockSeconds})`,
      );
    }
    this.#o = { now: () => new Date(), ...options };
  }

  /** Counts a signup from `origin`; a 429 once its network has used up the window's signups. */
  async checkSignup(origin: AttemptOrigin): Promise<void> {
    const { signupsPerIp, signupIpWindowSeconds } = this.#o.settings;
    await this.#perNetwork(
      'signup',
      signupsPerIp,
      signupIpWindowSeconds,
      origin,
      'identity.signup.throttled',
    );
  }

  /**
   * Admits one password check of `email` from `origin`, or answers 429: its network's login attempts
   * are used up, or the account is locked. The check counts as a failure until it `succeeded()`.
   */
  async startPasswordCheck(
    email: string,
    purpose: PasswordCheckPurpose,
    origin: AttemptOrigin,
  ): Promise<PasswordCheck> {
    const { loginAttemptsPerIp, loginIpWindowSeconds, loginMaxFailures } = this.#o.settings;
    await this.#perNetwork(
      'login',
      loginAttemptsPerIp,
      loginIpWindowSeconds,
      origin,
      'identity.login.throttled',
    );
    const key = `login-account#${accountKeyOf(email)}`;
    const account = accountKeyOf(email).slice(0, 16);
    const now = this.#epochNow();
    const claim = await this.#o.store.claimAttempt(key, loginMaxFailures, now, FAILURE_MEMORY_SECONDS);
    if (!claim.granted) {
      // A concurrent attempt is setting the lock right now: it lasts at least the first lock.
      const retryAfterSeconds = Math.max(
        1,
        (claim.lockedUntil ?? now + this.#o.settings.loginLockSeconds) - now,
      );
      this.#o.audit.record({
        event: 'identity.login.throttled',
        correlationId: origin.correlationId,
        account,
        sourceIp: origin.sourceIp,
        reason: 'account-locked',
        retryAfterSeconds,
      });
      throw new TooManyRequestsError(TOO_MANY, retryAfterSeconds);
    }
    const entry = {
      correlationId: origin.correlationId,
      account,
      sourceIp: origin.sourceIp,
      reason: purpose,
    };
    return {
      failed: async (userId) => {
        this.#o.audit.record({
          event: 'identity.login.failed',
          ...entry,
          ...(userId === undefined ? {} : { userId }),
        });
        if (claim.failures < loginMaxFailures) return;
        const lockSeconds = this.#lockSeconds(claim.locks);
        const locked = await this.#o.store.lock(
          key,
          loginMaxFailures,
          now + lockSeconds,
          now,
          FAILURE_MEMORY_SECONDS,
        );
        if (locked) {
          this.#o.audit.record({
            event: 'identity.login.locked',
            ...entry,
            ...(userId === undefined ? {} : { userId }),
            retryAfterSeconds: lockSeconds,
          });
        }
      },
      succeeded: async (userId, sessionId) => {
        await this.#o.store.clear(key);
        this.#o.audit.record({
          event: 'identity.login.succeeded',
          ...entry,
          userId,
          ...(sessionId === undefined ? {} : { sessionId }),
        });
      },
    };
  }

  /** The `locks`-th lock's length (0-based): doubling, bounded. */
  #lockSeconds(locks: number): number {
    const { loginLockSeconds, loginLockMaxSeconds } = this.#o.settings;
    return Math.min(loginLockMaxSeconds, loginLockSeconds * 2 ** Math.min(locks, 20));
  }

  async #perNetwork(
    action: 'login' | 'signup',
    limit: number,
    windowSeconds: number,
    origin: AttemptOrigin,
    event: 'identity.login.throttled' | 'identity.signup.throttled',
  ): Promise<void> {
    const now = this.#epochNow();
    const { count, windowEndsAt } = await this.#o.store.hit(
      `${action}-ip#${sourceNetworkOf(origin.sourceIp)}`,
      windowSeconds,
      now,
    );
    if (count <= limit) return;
    const retryAfterSeconds = Math.max(1, windowEndsAt - now);
    this.#o.audit.record({
      event,
      correlationId: origin.correlationId,
      sourceIp: origin.sourceIp,
      reason: 'source-limit',
      retryAfterSeconds,
    });
    throw new TooManyRequestsError(TOO_MANY, retryAfterSeconds);
  }

  #epochNow(): number {
    return Math.floor(this.#o.now().getTime() / 1000);
  }
}
