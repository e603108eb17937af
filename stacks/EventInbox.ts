import type { EventRulePlan, QueuePlan } from '@quanta/runtime/manifest';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { eventPatternOf } from './eventPatterns';
import { QueueWithDeadLetter } from './QueueWithDeadLetter';

/** Properties of an {@link EventInbox}. */
export interface EventInboxProps {
  /** The subscribing quantum. */
  readonly quantum: string;
  /** The rule, as planned. */
  readonly rule: EventRulePlan;
  /** The inbox queue the rule delivers to, as planned (visibility, DLQ). */
  readonly queue: QueuePlan;
  /** Bus the rule is put on: the platform bus, or the quantum's own bus when it is remote. */
  readonly eventBus: events.IEventBus;
}

/**
 * One event subscription: an EventBridge rule with the subscription's pattern delivering to the
 * quantum's inbox queue (with its DLQ); the consumer's event source is wired from its queue trigger.
 * Events EventBridge cannot deliver go to the same DLQ, so one DLQ per subscription holds everything
 * that did not get processed.
 *
 * @example
 * ```ts
 * new EventInbox(this, 'SessionRevokedInbox', { quantum: 'platform', rule, queue, eventBus });
 * ```
 */
export class EventInbox extends Construct {
  /** The inbox queue and its DLQ. */
  readonly queue: QueueWithDeadLetter;
  /** The rule. */
  readonly rule: events.Rule;
  /** Name of the inbox queue. */
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: EventInboxProps) {
    super(scope, id);
    const { rule, queue } = props;
    this.queueName = queue.name;
    this.queue = new QueueWithDeadLetter(this, 'Queue', {
      queueName: queue.name,
      deadLetterQueueName: queue.deadLetterQueue.name,
      maxReceiveCount: queue.deadLetterQueue.maxReceiveCount,
      visibilityTimeout: Duration.seconds(queue.visibilityTimeoutSeconds),
      purpose: `events of subscription '${rule.subscription}'`,
    });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: rule.name,
      description: `${props.quantum} subscription '${rule.subscription}' -> ${queue.name}`,
      eventBus: props.eventBus,
      eventPattern: eventPatternOf(rule.pattern),
      targets: [
        new targets.SqsQueue(this.queue.queue, {
          deadLetterQueue: this.queue.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
