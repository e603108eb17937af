// Value schemas every area's contract is built from.
import { z } from 'zod';

/** ISO 4217 currency code, upper case (e.g. `EUR`). */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as EUR');

/** An amount in the currency's minor unit (cents), a safe non-negative integer. */
export const amountCentsSchema = z.number().int().min(0).max(100_000_000);

/** An id we generate (UUID v4 or similar), as it appears in paths and messages. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id of letters, digits, - and _');

/** Opaque pagination cursor (base64url of the last key). */
export const cursorSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page');

/** Query parameters of every paginated list. */
export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorSchema.optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: cursorSchema.optional() });
}
