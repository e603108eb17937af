import { randomUUID } from 'node:crypto';
import { headerOf } from './headerOf';

/** Header through which a client (or an upstream quantum) passes its correlation id. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

// Bounded and log-safe: the value lands in every log line and event envelope of the request.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The parts of an API Gateway event a correlation id is derived from. */
export interface CorrelatedEvent {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly requestContext?: { readonly requestId?: string };
}

/**
 * The correlation id of a request: the client's `x-correlation-id` when it is well-formed, else the
 * API Gateway request id (a fresh UUID if there is none).
 *
 * @example
 * ```ts
 * const correlationId = correlationIdOf(event); // 'c0ffee-…' from the header or requestContext.requestId
 * ```
 */
export function correlationIdOf(event: CorrelatedEvent): string {
  const known = derived.get(event);
  if (known !== undefined) return known;
  const header = headerOf(event.headers, CORRELATION_ID_HEADER);
  const id =
    header !== undefined && SAFE_ID.test(header) ? header : (event.requestContext?.requestId ?? randomUUID());
  derived.set(event, id);
  return id;
}

// Remembered per event object so the logger, the handler and the response header agree even when
// the id had to be generated.
const derived = new WeakMap<object, string>();
