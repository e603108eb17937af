import type { AnyRequestEnvelope, MessageContract } from '@quanta/contracts';
import type { ReplySender } from '@quanta/runtime';
import type { z } from 'zod';

/** One reply a {@link RecordingReplySender} was asked to send. */
export interface RecordedReply {
  readonly request: AnyRequestEnvelope;
  readonly type: string;
  readonly payload: unknown;
}

/** {@link ReplySender} that records replies (validated by their contract) instead of sending them. */
export class RecordingReplySender implements ReplySender {
  readonly replies: RecordedReply[] = [];
  /** Replies to fail before succeeding again (simulates an SQS outage). */
  failNext = 0;

  async reply<T extends z.ZodType>(
    request: AnyRequestEnvelope,
    contract: MessageContract<T>,
    payload: z.infer<T>,
  ): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SQS is unavailable');
    }
    this.replies.push({ request, type: contract.type, payload: contract.payload.parse(payload) });
  }
}
