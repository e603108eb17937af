/** An SQS queue a rule delivers matching events to (the event JSON is the message body). */
export interface SqsTarget {
  /** Target id, unique within the rule. */
  readonly id: string;
  /** URL of the queue. */
  readonly queueUrl: string;
  /** URL of the queue that receives events whose delivery failed for good. @default none */
  readonly deadLetterQueueUrl?: string;
  /** Retries after the first failed attempt. @default the bus's `maximumRetryAttempts` */
  readonly maximumRetryAttempts?: number;
}
