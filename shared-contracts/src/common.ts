// Value schemas every area's contract is built from.
import * as z from './zod';

/** ISO 4217 currency code, upper case (e.g. `EUR`). */
export const currencySchema = z
  .string()
  .check(z.regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as EUR'));

/**
 * Largest amount any contract carries, in minor units (1,000,000.00 in a 2-decimal currency): a
 * price, an order's total, a payment. A service that computes an amount from client input (an
 * order's total) checks it against this before it builds a message, so a client gets a 4xx rather
 * than an envelope that fails its contract.
 */
export const MAX_AMOUNT_CENTS = 100_000_000;

/** An amount in the currency's minor unit (cents), a safe non-negative integer up to {@link MAX_AMOUNT_CENTS}. */
export const amountCentsSchema = z.number().check(z.int(), z.minimum(0), z.maximum(MAX_AMOUNT_CENTS));

/** An id we generate (UUID v4 or similar), as it appears in paths and messages. */
export const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, 'must be an id of letters, digits, - and _'),
  );

/** Opaque pagination cursor (base64url of the last key). */
export const cursorSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(1024),
    z.regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page'),
  );

/** Query parameters of every paginated list. */
export const pageQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(cursorSchema),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page of `item`. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.optional(cursorSchema) });
}
