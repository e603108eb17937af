import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './DeadLetterQueue';

/** Properties of a {@link QueueWithDeadLetter}. */
export interface QueueWithDeadLetterProps {
  /** Queue name (deterministic, from `namesOf()`). */
  readonly queueName: string;
  /** Name of its dead-letter queue (`namesOf().dlq(queueName)`). */
  readonly deadLetterQueueName: string;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * Visibility timeout; must cover the consumer's timeout with room for retries inside one batch
   * (AWS recommends six times the function timeout). @default 60 seconds
   */
  readonly visibilityTimeout?: Duration;
  /** What the queue carries, for its operators. */
  readonly purpose: string;
}

/**
 * A work queue with its dead-letter queue: SSE-SQS, TLS only, a redrive policy, 4 days of retention
 * (the DLQ keeps 14). Used for subscription inboxes and the platform's request/reply queues.
 *
 * @example
 * ```ts
 * const inbox = new QueueWithDeadLetter(this, 'Inbox', {
 *   queueName: names.inbox('session-revoked'),
 *   deadLetterQueueName: names.dlq(names.inbox('session-revoked')),
 *   purpose: 'SessionRevoked events',
 * });
 * ```
 */
export class QueueWithDeadLetter extends Construct {
  /** The work queue. */
  readonly queue: sqs.Queue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: props.deadLetterQueueName,
      purpose: `${props.purpose} from ${props.queueName} that failed ${props.maxReceiveCount ?? 5} receives`,
    }).queue;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(60),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
