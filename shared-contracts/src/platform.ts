import * as z from './zod';

/**
 * What the platform authorizer hands every authenticated route under
 * `requestContext.authorizer.lambda`: the only source of a caller's identity.
 */
export const authorizerContextSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  sessionId: z.string().check(z.minLength(1)),
  roles: z.array(z.string()),
});

export type AuthorizerContext = z.infer<typeof authorizerContextSchema>;

/** `POST /realtime/tickets` 201 body: a one-time WebSocket ticket (valid 60 s). */
export const realtimeTicketResponseSchema = z.object({
  ticket: z.string(),
  expiresIn: z.number().check(z.int(), z.positive()),
  /** The WebSocket URL with `?ticket=` already appended: connect to it as is. */
  url: z.string(),
});
export type RealtimeTicketResponse = z.infer<typeof realtimeTicketResponseSchema>;
