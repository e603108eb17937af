import {
  namesOf,
  type QuantumManifest,
  type Registry,
  type SubscriptionDefinition,
} from '@quanta/runtime/manifest';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { eventPatternOf } from './eventPatternOf';
import type { QuantumFunction } from './QuantumFunction';
import { QueueWithDeadLetter } from './QueueWithDeadLetter';

/** Properties of an {@link EventInbox}. */
export interface EventInboxProps {
  /** The subscribing quantum. */
  readonly manifest: QuantumManifest;
  /** The registry (prefix). */
  readonly registry: Registry;
  /** The subscription, from the manifest. */
  readonly subscription: SubscriptionDefinition;
  /** Bus the rule is put on: the platform bus, or the quantum's own bus when it is remote. */
  readonly eventBus: events.IEventBus;
  /** The consuming function. */
  readonly consumer: QuantumFunction;
}

/**
 * One event subscription: an EventBridge rule with the manifest's pattern delivering to the quantum's
 * inbox queue (`names.inbox(id)`, with its DLQ), consumed in batches by the subscription's function
 * with partial batch failures. Events EventBridge cannot deliver go to the same DLQ, so one DLQ per
 * subscription holds everything that did not get processed.
 *
 * @example
 * ```ts
 * new EventInbox(this, 'SessionRevokedInbox', { manifest, registry, subscription, eventBus, consumer });
 * ```
 */
export class EventInbox extends Construct {
  /** The inbox queue and its DLQ. */
  readonly queue: QueueWithDeadLetter;
  /** The rule. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EventInboxProps) {
    super(scope, id);
    const { manifest, registry, subscription, consumer } = props;
    const names = namesOf(manifest.name, registry.prefix);
    const queueName = names.inbox(subscription.id);
    this.queue = new QueueWithDeadLetter(this, 'Queue', {
      queueName,
      deadLetterQueueName: names.dlq(queueName),
      maxReceiveCount: subscription.maxReceiveCount ?? 5,
      visibilityTimeout: Duration.seconds(Math.max(30, consumer.timeout.toSeconds() * 6)),
      purpose: `events of subscription '${subscription.id}'`,
    });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: `${registry.prefix}-${manifest.name}-${subscription.id}`,
      description: `${manifest.name} subscription '${subscription.id}' -> ${queueName}`,
      eventBus: props.eventBus,
      eventPattern: eventPatternOf(subscription.pattern),
      targets: [
        new targets.SqsQueue(this.queue.queue, {
          deadLetterQueue: this.queue.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    consumer.consumeQueue(this.queue.queue, {
      batchSize: subscription.batchSize,
      maxBatchingWindowSeconds: subscription.maxBatchingWindowSeconds,
    });
  }
}
