import * as z from '@quanta/contracts/zod';
import type { Reservation } from '../domain/Reservation';
import { catalogKeys } from './catalogKeys';

const lines = z.array(z.object({ productId: z.string(), quantity: z.number().check(z.int()) }));
const reservationItemSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('RESERVED'), orderId: z.string(), lines, reservedAt: z.string() }),
  z.object({
    status: z.literal('RELEASED'),
    orderId: z.string(),
    lines,
    stockReturned: z.boolean(),
    releasedAt: z.string(),
  }),
  z.object({
    status: z.literal('UNAVAILABLE'),
    orderId: z.string(),
    productIds: z.array(z.string()),
    reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']),
    decidedAt: z.string(),
  }),
]);

/**
 * The table item of a reservation: its keys, a `type`, its fields and, when given, its expiry.
 *
 * @example
 * ```ts
 * new PutItemCommand({ TableName, Item: marshall(reservationItemOf(refused, { expiresAt: 1767225600 })) });
 * ```
 */
export function reservationItemOf(
  reservation: Reservation,
  expiry?: Readonly<Record<string, number>>,
): Record<string, unknown> {
  return {
    ...catalogKeys.reservation(reservation.orderId),
    type: 'RESERVATION',
    ...reservation,
    ...('lines' in reservation ? { lines: reservation.lines.map((l) => ({ ...l })) } : {}),
    ...expiry,
  };
}

/**
 * The reservation in an unmarshalled table item.
 *
 * @example
 * ```ts
 * const reservation = reservationOfItem(unmarshall(Item));
 * ```
 */
export function reservationOfItem(item: Record<string, unknown>): Reservation {
  return reservationItemSchema.parse(item);
}
