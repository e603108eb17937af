import { z } from 'zod';

/** `POST /realtime/tickets` 201 body: a one-time WebSocket ticket (valid 60 s). */
export const realtimeTicketResponseSchema = z.object({
  ticket: z.string(),
  expiresIn: z.number().int().positive(),
});
export type RealtimeTicketResponse = z.infer<typeof realtimeTicketResponseSchema>;
