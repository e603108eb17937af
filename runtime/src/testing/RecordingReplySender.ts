import type { AnyRequestEnvelope, MessageContract } from '@quanta/contracts/envelope';
import type * as z from '@quanta/contracts/zod';
import type { ReplySender } from '../messaging/sqsSenders';

/** One reply a {@link RecordingReplySender} was asked to send. */
export interface RecordedReply {
  /** The request being answered, as handed to the sender. */
  readonly request: AnyRequestEnvelope;
  readonly type: string;
  /** The payload, validated with its contract. */
  readonly payload: unknown;
}

/**
 * A {@link ReplySender} for unit tests of request handlers: records each reply (validated by its
 * contract, as the real sender does) instead of sending it, and can fail the next `n` replies like
 * an SQS outage.
 *
 * @example
 * ```ts
 * const replies = new RecordingReplySender();
 * replies.failNext = 1; // the next reply throws
 * ```
 */
export class RecordingReplySender implements ReplySender {
  readonly replies: RecordedReply[] = [];
  /** Replies to fail before succeeding again. */
  failNext = 0;

  async reply<T extends z.ZodMiniType>(
    request: AnyRequestEnvelope,
    contract: MessageContract<T>,
    payload: z.infer<T>,
  ): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated SQS outage');
    }
    this.replies.push({ request, type: contract.type, payload: contract.payload.parse(payload) });
  }
}
