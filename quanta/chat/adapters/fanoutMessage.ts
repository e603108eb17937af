import { serverFrameSchema } from '@quanta/contracts/chat';
import * as z from '@quanta/contracts/zod';

/**
 * A fan-out batch as a work-queue message body (chat's own queue; nobody else sends to it). The
 * frame is validated again on the way out, like any message crossing a queue. Apart from
 * `SqsFanoutQueue` so the `fanout` function, which only reads these messages, does not load the
 * SQS client at cold start.
 *
 * @example
 * ```ts
 * const { frame, connectionIds } = fanoutMessageSchema.parse(JSON.parse(record.body));
 * ```
 */
export const fanoutMessageSchema = z.object({
  v: z.literal(1),
  frame: serverFrameSchema,
  connectionIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});
