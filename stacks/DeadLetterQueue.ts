import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of a {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** Queue name (deterministic, from `namesOf().dlq()`). */
  readonly queueName: string;
  /** What lands here, for the queue's operators. */
  readonly purpose: string;
}

/**
 * A dead-letter queue: SSE-SQS, TLS only, 14 days of retention (the maximum, to leave time for a
 * redrive). Encryption is SSE-SQS rather than a customer key so that cross-account producers
 * (EventBridge targets, Lambda on-failure destinations) need no KMS grant.
 *
 * @example
 * ```ts
 * const dlq = new DeadLetterQueue(this, 'RelayDlq', { queueName: names.dlq('quanta-identity-outbox-relay'), purpose: 'failed outbox batches' });
 * ```
 */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.purpose}); a DLQ of a DLQ only moves the problem. Its depth is alarmed instead.`,
    });
  }
}
