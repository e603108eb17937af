// The two envelopes that cross quanta: events (through the bus) and requests/replies (through
// queues), and how a contract of each is defined.
import * as z from './zod';

/** Fields every event crossing a quantum boundary carries, whatever its data. */
export const eventEnvelopeBaseSchema = z.object({
  /** Unique id (UUID); consumers deduplicate on it. */
  id: z.uuid(),
  /** Detail-type, e.g. `SessionRevoked`. */
  type: z.string().check(z.regex(/^[A-Z][A-Za-z0-9]*$/)),
  /** Schema version of `data`. */
  version: z.number().check(z.int(), z.positive()),
  /** Publishing quantum as an EventBridge source, e.g. `quanta.identity`. */
  source: z.string().check(z.regex(/^quanta\.[a-z][a-z0-9]*$/)),
  /** When the fact happened (ISO-8601 UTC). */
  occurredAt: z.iso.datetime(),
  /** Id shared by everything caused by one client request. */
  correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
  /** Id of the message that caused this one (the correlation id for a root cause). */
  causationId: z.string().check(z.minLength(1), z.maxLength(128)),
  data: z.unknown(),
});

/** An event envelope of any type (data not yet parsed). */
export type AnyEventEnvelope = z.infer<typeof eventEnvelopeBaseSchema>;

/** A typed event contract: name, version and data schema, defined once and validated on both sides. */
export interface EventContract<T extends z.ZodMiniType> {
  /** Publishing quantum, e.g. `identity`. */
  readonly quantum: string;
  /** EventBridge source, `quanta.<quantum>`. */
  readonly source: string;
  /** Detail-type. */
  readonly type: string;
  readonly version: number;
  /** Schema of `data`. */
  readonly data: T;
  /** Schema of the whole envelope with typed data. */
  readonly envelope: z.ZodMiniType<EventEnvelope<z.infer<T>>>;
}

/** An envelope whose data has type `D`. */
export type EventEnvelope<D> = Omit<AnyEventEnvelope, 'data'> & { data: D };

/** The type of an event contract's data. */
export type EventData<C> = C extends EventContract<infer T> ? z.infer<T> : never;

/**
 * Defines an event contract.
 *
 * @example
 * ```ts
 * export const SessionRevoked = defineEvent('identity', 'SessionRevoked', 1, z.object({ sessionId: z.string() }));
 * SessionRevoked.envelope.parse(detail); // typed envelope, or throws the zod error
 * ```
 */
export function defineEvent<T extends z.ZodMiniType>(
  quantum: string,
  type: string,
  version: number,
  data: T,
): EventContract<T> {
  const source = `quanta.${quantum}`;
  const envelope = z.extend(eventEnvelopeBaseSchema, {
    type: z.literal(type),
    version: z.literal(version),
    source: z.literal(source),
    data,
  }) as unknown as z.ZodMiniType<EventEnvelope<z.infer<T>>>;
  return { quantum, source, type, version, data, envelope };
}

/** Fields of every asynchronous request (request/reply channel over SQS). */
export const requestEnvelopeBaseSchema = z.object({
  /** Unique id of this message; the replier deduplicates on it together with the business key. */
  messageId: z.uuid(),
  /** Ties the reply to the requester's saga/process. */
  correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
  /** Name of the requesting quantum; the reply goes to its reply queue. */
  replyTo: z.string().check(z.regex(/^[a-z][a-z0-9]*$/)),
  /** After this instant (ISO-8601) the request must not be acted on. */
  deadline: z.iso.datetime(),
  /** Request or reply type, e.g. `ReserveStock` / `StockReserved`. */
  type: z.string().check(z.regex(/^[A-Z][A-Za-z0-9]*$/)),
  version: z.number().check(z.int(), z.positive()),
  payload: z.unknown(),
});

/** A request or reply envelope of any type (payload not yet parsed). */
export type AnyRequestEnvelope = z.infer<typeof requestEnvelopeBaseSchema>;

/** An envelope whose payload has type `P`. */
export type RequestEnvelope<P> = Omit<AnyRequestEnvelope, 'payload'> & { payload: P };

/** A typed request or reply contract. */
export interface MessageContract<T extends z.ZodMiniType> {
  readonly type: string;
  readonly version: number;
  readonly payload: T;
  readonly envelope: z.ZodMiniType<RequestEnvelope<z.infer<T>>>;
}

/**
 * Defines a request or reply message contract.
 *
 * @example
 * ```ts
 * export const ReserveStock = defineMessage('ReserveStock', 1, z.object({ orderId: z.string() }));
 * ```
 */
export function defineMessage<T extends z.ZodMiniType>(
  type: string,
  version: number,
  payload: T,
): MessageContract<T> {
  const envelope = z.extend(requestEnvelopeBaseSchema, {
    type: z.literal(type),
    version: z.literal(version),
    payload,
  }) as unknown as z.ZodMiniType<RequestEnvelope<z.infer<T>>>;
  return { type, version, payload, envelope };
}
