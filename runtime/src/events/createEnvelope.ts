import { randomUUID } from 'node:crypto';
import type { EventContract, EventEnvelope } from '@quanta/contracts/envelope';
import type { z } from 'zod';

/** Where an event comes from, for tracing one client request across quanta. */
export interface EnvelopeOrigin {
  /** Id shared by everything one client request caused. */
  readonly correlationId: string;
  /** Id of the message that caused this event. @default correlationId (a root cause) */
  readonly causationId?: string;
  /** Event id. @default a random UUID v4 */
  readonly id?: string;
  /** When it happened. @default now */
  readonly occurredAt?: Date;
}

/**
 * Builds an event envelope for `contract` and validates it against the contract, so an event that
 * would be rejected by its consumers is never written to an outbox.
 *
 * @example
 * ```ts
 * const event = createEnvelope(UserRegistered, { userId, email, displayName, roles }, { correlationId });
 * ```
 */
export function createEnvelope<T extends z.ZodType>(
  contract: EventContract<T>,
  data: z.infer<T>,
  origin: EnvelopeOrigin,
): EventEnvelope<z.infer<T>> {
  return contract.envelope.parse({
    id: origin.id ?? randomUUID(),
    type: contract.type,
    version: contract.version,
    source: contract.source,
    occurredAt: (origin.occurredAt ?? new Date()).toISOString(),
    correlationId: origin.correlationId,
    causationId: origin.causationId ?? origin.correlationId,
    data,
  });
}
