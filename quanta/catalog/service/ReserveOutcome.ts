import type { UnavailableReason } from '../domain/UnavailableReason';

/**
 * What catalog answers to a ReserveStock request.
 * - `RESERVED`: every line is held for the order (`duplicate`: it already was; nothing changed now).
 * - `UNAVAILABLE`: nothing was reserved; `productIds` say which products were unknown or short.
 * - `EXPIRED`: the request was past its deadline and was not acted on (no reply: the requester's
 *   deadline handling cancels the order).
 * - `RELEASED`: the order was already released (compensated) and must not reserve again (no reply:
 *   the requester gave up on this reservation itself).
 */
export type ReserveOutcome =
  | { readonly kind: 'RESERVED'; readonly duplicate: boolean }
  | {
      readonly kind: 'UNAVAILABLE';
      readonly productIds: readonly string[];
      readonly reason: UnavailableReason;
    }
  | { readonly kind: 'EXPIRED' }
  | { readonly kind: 'RELEASED' };
