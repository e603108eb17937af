import { z } from 'zod';

/** Fields of every asynchronous request (request/reply channel over SQS). */
export const requestEnvelopeBaseSchema = z.object({
  /** Unique id of this message; the replier deduplicates on it together with the business key. */
  messageId: z.uuid(),
  /** Ties the reply to the requester's saga/process. */
  correlationId: z.string().min(1).max(128),
  /** Name of the requesting quantum; the reply goes to its reply queue. */
  replyTo: z.string().regex(/^[a-z][a-z0-9]*$/),
  /** After this instant (ISO-8601) the request must not be acted on. */
  deadline: z.iso.datetime(),
  /** Request or reply type, e.g. `ReserveStock` / `StockReserved`. */
  type: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  version: z.number().int().positive(),
  payload: z.unknown(),
});

/** A request or reply envelope of any type (payload not yet parsed). */
export type AnyRequestEnvelope = z.infer<typeof requestEnvelopeBaseSchema>;

/** An envelope whose payload has type `P`. */
export type RequestEnvelope<P> = Omit<AnyRequestEnvelope, 'payload'> & { payload: P };

/** A typed request or reply contract. */
export interface MessageContract<T extends z.ZodType> {
  readonly type: string;
  readonly version: number;
  readonly payload: T;
  readonly envelope: z.ZodType<RequestEnvelope<z.infer<T>>>;
}

/**
 * Defines a request or reply message contract.
 *
 * @example
 * ```ts
 * export const ReserveStock = defineMessage('ReserveStock', 1, z.object({ orderId: z.string() }));
 * ```
 */
export function defineMessage<T extends z.ZodType>(
  type: string,
  version: number,
  payload: T,
): MessageContract<T> {
  const envelope = requestEnvelopeBaseSchema.extend({
    type: z.literal(type),
    version: z.literal(version),
    payload,
  }) as unknown as z.ZodType<RequestEnvelope<z.infer<T>>>;
  return { type, version, payload, envelope };
}
