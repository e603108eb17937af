import type { QuantaPlan, QueuePlan } from '@quanta/runtime/manifest';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Placement } from './Placement';
import { pascalCase } from './pascalCase';
import { QueueWithDeadLetter } from './QueueWithDeadLetter';

/** Properties of {@link RequestReplyQueues}. */
export interface RequestReplyQueuesProps {
  /** The plan: the platform's request/reply queues, their consumers and senders. */
  readonly plan: QuantaPlan;
}

/** One request or reply queue and who may use it. */
export interface ChannelQueue {
  /** The quantum that consumes it. */
  readonly consumer: string;
  /** `request` (commands to the consumer) or `reply` (answers to the consumer's requests). */
  readonly kind: 'request' | 'reply';
  /** The queue and its DLQ. */
  readonly queue: QueueWithDeadLetter;
  /** The quanta admitted to send to it. */
  readonly senders: readonly string[];
}

/**
 * The request/reply channel's queues, hosted by the platform (a meeting point): a request queue per
 * registered quantum that answers requests (`names.requestQueue`) and a reply queue per registered
 * quantum that sends them (`names.replyQueue`), each with a DLQ, SSE-SQS and TLS only.
 *
 * Queue policy, per queue, naming roles by their exact ARNs (`aws:PrincipalArn` `ArnEquals`, the
 * plan's role names), never by pattern:
 * - Allow `sqs:SendMessage` to the senders' accounts, only for the execution roles the plan lets send:
 *   for a request queue, every function of the quanta whose manifest `sends` to the consumer; for a
 *   reply queue, the request handler of each target the consumer sends to.
 * - Deny `sqs:SendMessage` to every other principal. The explicit Deny is what keeps other roles of the
 *   same account out (an identity policy would otherwise be enough there). Operators redriving a DLQ
 *   into one of these queues therefore need to assume one of those roles.
 * - Allow the consuming function's role, in its account, to receive, delete and change visibility,
 *   which a Lambda event source mapping in another account needs.
 * SSE-SQS rather than a customer key, so that senders in other accounts need no KMS grant.
 *
 * @example
 * ```ts
 * const { queues } = new RequestReplyQueues(this, 'RequestReplyQueues', { plan });
 * ```
 */
export class RequestReplyQueues extends Construct {
  /** Every queue created. */
  readonly queues: readonly ChannelQueue[];

  constructor(scope: Construct, id: string, props: RequestReplyQueuesProps) {
    super(scope, id);
    const { plan } = props;
    const placement = new Placement(plan, this);
    const platform = plan.quanta.find((q) => q.role === 'platform');
    this.queues = (platform?.queues ?? [])
      .filter((q) => q.kind === 'request' || q.kind === 'reply')
      .map((planned) => {
        const consumer = planned.consumer.quantum;
        const kind = planned.kind === 'request' ? 'request' : 'reply';
        const queue = new QueueWithDeadLetter(
          this,
          `${pascalCase(consumer)}${kind === 'request' ? 'Requests' : 'Replies'}`,
          {
            queueName: planned.name,
            deadLetterQueueName: planned.deadLetterQueue.name,
            maxReceiveCount: planned.deadLetterQueue.maxReceiveCount,
            visibilityTimeout: Duration.seconds(planned.visibilityTimeoutSeconds),
            purpose: `${kind === 'request' ? 'requests' : 'replies'} to ${consumer}`,
          },
        );
        this.#restrict(queue, placement, planned);
        return { consumer, kind, queue, senders: planned.senders };
      });
  }

  #restrict(queue: QueueWithDeadLetter, placement: Placement, planned: QueuePlan): void {
    const q = queue.queue;
    const senders = planned.senderRoles.map((r) => placement.roleArn(r));
    if (senders.length > 0) {
      q.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowRegisteredSenders',
          principals: [...new Set(planned.senderRoles.map((r) => placement.accountOf(r.quantum)))].map(
            (a) => new iam.AccountPrincipal(a),
          ),
          actions: ['sqs:SendMessage'],
          resources: [q.queueArn],
          conditions: { ArnEquals: { 'aws:PrincipalArn': senders } },
        }),
      );
    }
    q.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOtherSenders',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:SendMessage'],
        resources: [q.queueArn],
        conditions: senders.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': senders } } : undefined,
      }),
    );
    const consumer = planned.consumerRole;
    q.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowConsumer',
        principals: [new iam.AccountPrincipal(placement.accountOf(consumer.quantum))],
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
        ],
        resources: [q.queueArn],
        conditions: { ArnEquals: { 'aws:PrincipalArn': placement.roleArn(consumer) } },
      }),
    );
  }
}
