import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

/** A counter whose window opens at its first hit and lasts a fixed number of seconds. */
export interface WindowCount {
  /** Hits in the current window, this one included. */
  readonly count: number;
  /** Epoch seconds at which the window closes and counting starts over. */
  readonly windowEndsAt: number;
}

/** Outcome of {@link ThrottleStore.claimAttempt}. */
export type AttemptClaim =
  /** The attempt may go ahead; it already counts as a failure until it is cleared by a success. */
  | { readonly granted: true; readonly failures: number; readonly locks: number }
  /** Locked (`lockedUntil` in epoch seconds, unknown while a concurrent attempt is locking it). */
  | { readonly granted: false; readonly lockedUntil: number | undefined };

/**
 * Port: the counters of the abuse limits, each under a key such as `login-ip#203.0.113.9`. Every
 * operation is one conditional, atomic update of one item, so concurrent attempts never undercount.
 */
export interface ThrottleStore {
  /** Counts one hit of `key` in its current window (opening a window of `windowSeconds` if none is open at `now`). */
  hit(key: string, windowSeconds: number, now: number): Promise<WindowCount>;
  /**
   * Claims one attempt on a failure lock, counting it as a failure up front: granted only while `key`
   * is not locked and has fewer than `maxFailures` consecutive failures, so however many attempts race,
   * at most `maxFailures` get through before the lock. Failures older than `forgetAfterSeconds` are forgotten.
   */
  claimAttempt(
    key: string,
    maxFailures: number,
    now: number,
    forgetAfterSeconds: number,
  ): Promise<AttemptClaim>;
  /**
   * Locks `key` until `until` (epoch seconds) if it has `maxFailures` failures, starting a new count;
   * resolves `true` only for the call that set the lock.
   */
  lock(
    key: string,
    maxFailures: number,
    until: number,
    now: number,
    forgetAfterSeconds: number,
  ): Promise<boolean>;
  /** Forgets the failures and locks of `key` (the right password was given). */
  clear(key: string): Promise<void>;
}

/**
 * The throttle key of an e-mail address: its SHA-256 (hex), so the table keeps no address of an
 * account that does not exist, and known and unknown addresses are counted alike.
 *
 * @example
 * ```ts
 * accountKeyOf('ada@example.com'); // '3a5f…' (64 hex chars)
 * ```
 */
export function accountKeyOf(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The network a source address is counted under: an IPv4 address itself, an IPv6 address its /64
 * (one subscriber usually holds a whole /64, so counting single IPv6 addresses would limit nobody).
 *
 * @example
 * ```ts
 * sourceNetworkOf('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 * sourceNetworkOf('203.0.113.9'); // '203.0.113.9'
 * ```
 */
export function sourceNetworkOf(ip: string): string {
  const mapped = IPV4_MAPPED.exec(ip)?.[1];
  if (mapped !== undefined) return mapped;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('::');
  const first = head === '' ? [] : head.split(':');
  const last = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill('0'), ...last];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
