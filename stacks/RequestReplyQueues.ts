import { namesOf, type QuantumManifest, type Registry } from '@quanta/runtime/manifest';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Placement } from './Placement';
import { pascalCase } from './pascalCase';
import { QueueWithDeadLetter } from './QueueWithDeadLetter';
import { RequestTopology } from './RequestTopology';

/** Properties of {@link RequestReplyQueues}. */
export interface RequestReplyQueuesProps {
  /** The registry. */
  readonly registry: Registry;
  /** Every manifest by name. */
  readonly manifests: Readonly<Record<string, QuantumManifest>>;
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
 * Queue policy, per queue:
 * - Allow `sqs:SendMessage` to the registered senders' accounts, only for roles of the senders' stacks
 *   (`aws:PrincipalArn` like `arn:aws:iam::<acct>:role/<SenderStackId>-*`): for a request queue, the
 *   quanta whose manifest `sends` to the consumer; for a reply queue, the targets the consumer sends to.
 * - Deny `sqs:SendMessage` to every other principal. The explicit Deny is what keeps other roles of the
 *   same account out (an identity policy would otherwise be enough there). Operators redriving a DLQ
 *   into one of these queues therefore need a role that matches a sender pattern.
 * - Allow the consumer's account (its stack's roles) to receive, delete and change visibility, which a
 *   Lambda event source mapping in another account needs.
 * SSE-SQS rather than a customer key, so that senders in other accounts need no KMS grant.
 *
 * @example
 * ```ts
 * const { queues } = new RequestReplyQueues(this, 'RequestReplyQueues', { registry, manifests });
 * ```
 */
export class RequestReplyQueues extends Construct {
  /** Every queue created. */
  readonly queues: readonly ChannelQueue[];

  constructor(scope: Construct, id: string, props: RequestReplyQueuesProps) {
    super(scope, id);
    const { registry, manifests } = props;
    const placement = new Placement(registry, this);
    const topology = new RequestTopology(registry, manifests);
    const queues: ChannelQueue[] = [];

    for (const quantum of placement.quanta) {
      const manifest = manifests[quantum];
      if (manifest === undefined) continue;
      const names = namesOf(quantum, registry.prefix);
      const timeoutOf = (fn: string | undefined) =>
        fn === undefined ? 10 : (manifest.functions[fn]?.timeoutSeconds ?? 10);

      if (topology.answers(quantum)) {
        const queue = this.#queue(
          `${pascalCase(quantum)}Requests`,
          names.requestQueue,
          names.dlq(names.requestQueue),
          {
            timeoutSeconds: timeoutOf(manifest.requestHandlers?.[0]?.function),
            purpose: `requests to ${quantum}`,
          },
        );
        const senders = topology.sendersTo(quantum);
        this.#restrict(queue, placement, quantum, senders);
        queues.push({ consumer: quantum, kind: 'request', queue, senders });
      }
      if (topology.sends(quantum)) {
        const queue = this.#queue(
          `${pascalCase(quantum)}Replies`,
          names.replyQueue,
          names.dlq(names.replyQueue),
          {
            timeoutSeconds: timeoutOf(manifest.replyHandler),
            purpose: `replies to ${quantum}`,
          },
        );
        const senders = topology.targetsOf(quantum);
        this.#restrict(queue, placement, quantum, senders);
        queues.push({ consumer: quantum, kind: 'reply', queue, senders });
      }
    }
    this.queues = queues;
  }

  #queue(
    id: string,
    queueName: string,
    deadLetterQueueName: string,
    options: { readonly timeoutSeconds: number; readonly purpose: string },
  ): QueueWithDeadLetter {
    return new QueueWithDeadLetter(this, id, {
      queueName,
      deadLetterQueueName,
      visibilityTimeout: Duration.seconds(Math.max(30, options.timeoutSeconds * 6)),
      purpose: options.purpose,
    });
  }

  #restrict(
    queue: QueueWithDeadLetter,
    placement: Placement,
    consumer: string,
    senders: readonly string[],
  ): void {
    const q = queue.queue;
    const patterns = senders.map((s) => placement.rolePatternOf(s));
    if (senders.length > 0) {
      q.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowRegisteredSenders',
          principals: [...new Set(senders.map((s) => placement.accountOf(s)))].map(
            (a) => new iam.AccountPrincipal(a),
          ),
          actions: ['sqs:SendMessage'],
          resources: [q.queueArn],
          conditions: { ArnLike: { 'aws:PrincipalArn': patterns } },
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
        conditions: patterns.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': patterns } } : undefined,
      }),
    );
    q.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowConsumer',
        principals: [new iam.AccountPrincipal(placement.accountOf(consumer))],
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
        ],
        resources: [q.queueArn],
        conditions: { ArnLike: { 'aws:PrincipalArn': placement.rolePatternOf(consumer) } },
      }),
    );
  }
}
