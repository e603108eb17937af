import type { AnyRequestEnvelope, MessageContract } from '@quanta/contracts';
import type { ReplySender } from '@quanta/runtime';
import type { z } from 'zod';

/** A reply as {@link RecordingReplySender} recorded it. */
export interface RecordedReply {
  readonly to: string;
  readonly correlationId: string;
  readonly type: string;
  readonly payload: unknown;
  /** The request envelope handed to the sender, as JSON (to check it carries no card). */
  readonly requestJson: string;
}

/** {@link ReplySender} that records the replies (validated with their contract) instead of sending them. */
export class RecordingReplySender implements ReplySender {
  readonly replies: RecordedReply[] = [];
  /** Makes the next `n` replies fail, like an SQS outage. */
  failNext = 0;

  async reply<T extends z.ZodType>(
    request: AnyRequestEnvelope,
    contract: MessageContract<T>,
    payload: z.infer<T>,
  ): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated SQS outage');
    }
    this.replies.push({
      to: request.replyTo,
      correlationId: request.correlationId,
      type: contract.type,
      payload: contract.payload.parse(payload),
      requestJson: JSON.stringify(request),
    });
  }
}
