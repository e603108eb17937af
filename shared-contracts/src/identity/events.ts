import { z } from 'zod';
import { defineEvent } from '../envelope/EventEnvelope';

/** A user signed up. */
export const UserRegistered = defineEvent(
  'identity',
  'UserRegistered',
  1,
  z.object({
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    roles: z.array(z.string()),
  }),
);

/**
 * A session ended (logout, or refresh-token reuse revoking the family): every access token of
 * `sessionId` must be denied until `tokensValidUntil` (epoch seconds), after which none is valid anyway.
 */
export const SessionRevoked = defineEvent(
  'identity',
  'SessionRevoked',
  1,
  z.object({
    userId: z.string(),
    sessionId: z.string(),
    reason: z.enum(['LOGOUT', 'REFRESH_TOKEN_REUSE']),
    tokensValidUntil: z.number().int().positive(),
  }),
);
