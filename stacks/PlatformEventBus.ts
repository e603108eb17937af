import type { QuantaPlan } from '@quanta/runtime/manifest';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './DeadLetterQueue';
import { anyOfPatterns, eventPatternOf } from './eventPatterns';
import { Placement } from './Placement';
import { pascalCase } from './pascalCase';

/** Properties of a {@link PlatformEventBus}. */
export interface PlatformEventBusProps {
  /** The plan (the bus, its publishers, the forwardings to remote quanta). */
  readonly plan: QuantaPlan;
  /** Days the archive keeps events for replay. @default 30 (90 in production) */
  readonly archiveRetentionDays?: number;
}

/** One forwarding rule to a remote quantum's bus. */
export interface BusForwarding {
  readonly quantum: string;
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;
}

/**
 * The platform's event bus (`names.platformBus`), the one place every quantum publishes to:
 * - an archive of every `quanta.*` event, for replay;
 * - outside production, a catch-all rule logging every event to `/aws/events/<bus>`;
 * - a bus policy admitting PutEvents from each registered publisher's account, only from the exact
 *   role of its outbox relay (`aws:PrincipalArn` `ArnEquals`) and only with its own source
 *   (`events:source` = `quanta.<quantum>`);
 * - for each remote quantum (another account or region), one forwarding rule matching any of its
 *   subscription patterns, delivering to its own bus through a dedicated role the plan names (the
 *   remote bus admits exactly that role), with a DLQ.
 *
 * @example
 * ```ts
 * const { bus } = new PlatformEventBus(this, 'EventBus', { plan });
 * ```
 */
export class PlatformEventBus extends Construct {
  /** The bus. */
  readonly bus: events.EventBus;
  /** Forwarding rules, one per remote quantum with subscriptions. */
  readonly forwardings: readonly BusForwarding[];

  constructor(scope: Construct, id: string, props: PlatformEventBusProps) {
    super(scope, id);
    const { plan } = props;
    const placement = new Placement(plan, this);
    const busName = plan.platform.bus;

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: busName,
      description: 'Quanta platform bus: every quantum publishes here (source quanta.<quantum>)',
    });
    this.bus.archive('Archive', {
      archiveName: `${busName}-archive`,
      description: 'Every quanta.* event, for replay',
      eventPattern: { source: events.Match.prefix('quanta.') },
      retention: Duration.days(props.archiveRetentionDays ?? (plan.production ? 90 : 30)),
    });

    for (const publisher of plan.platform.publishers) {
      if (publisher.roles.length === 0) continue;
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Publish${pascalCase(publisher.quantum)}`,
          principals: [...new Set(publisher.roles.map((r) => placement.accountOf(r.quantum)))].map(
            (a) => new iam.AccountPrincipal(a),
          ),
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: {
            StringEquals: { 'events:source': publisher.source },
            ArnEquals: { 'aws:PrincipalArn': publisher.roles.map((r) => placement.roleArn(r)) },
          },
        }),
      );
    }

    if (!plan.production) this.#logEverything(busName);

    const forwardings: BusForwarding[] = [];
    for (const forwarding of plan.platform.forwardings) {
      const quantum = forwarding.quantum;
      const pattern = anyOfPatterns(forwarding.patterns);
      if (pattern === undefined) continue;
      const id = pascalCase(quantum);
      const deadLetterQueue = new DeadLetterQueue(this, `Forward${id}DeadLetterQueue`, {
        queueName: forwarding.deadLetterQueue,
        purpose: `events the platform bus could not forward to ${quantum}'s bus`,
      });
      const role = new iam.Role(this, `Forward${id}Role`, {
        // Named by the plan: the remote quantum's bus admits exactly this role.
        roleName: placement.roleName(forwarding.role),
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
        description: `EventBridge forwards subscribed events to ${quantum}'s bus`,
      });
      const targetBusArn = placement.busArn(quantum, forwarding.targetBus);
      const rule = new events.Rule(this, `Forward${id}`, {
        ruleName: forwarding.ruleName,
        description: `Events ${quantum} subscribes to -> ${targetBusArn}`,
        eventBus: this.bus,
        eventPattern: eventPatternOf(pattern),
        targets: [
          new targets.EventBus(events.EventBus.fromEventBusArn(this, `${id}Bus`, targetBusArn), {
            role,
            deadLetterQueue: deadLetterQueue.queue,
          }),
        ],
      });
      forwardings.push({ quantum, rule, deadLetterQueue });
    }
    this.forwardings = forwardings;
  }

  /**
   * Non-production only: every quanta.* event into a log group. Built from a native
   * `AWS::Logs::ResourcePolicy` rather than CDK's log-group target, which uses a custom resource.
   */
  #logEverything(busName: string): void {
    const stack = Stack.of(this);
    const logGroupName = `/aws/events/${busName}`;
    const logGroup = new logs.LogGroup(this, 'EventLog', {
      logGroupName,
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const ruleName = `${busName}-log-everything`;
    const rule = new events.Rule(this, 'LogEverything', {
      ruleName,
      description: `Non-production: every quanta.* event on ${busName} -> ${logGroupName}`,
      eventBus: this.bus,
      eventPattern: { source: events.Match.prefix('quanta.') },
    });
    const targetArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: logGroupName,
    });
    rule.addTarget({ bind: () => ({ arn: targetArn }) });
    const policy = new logs.ResourcePolicy(this, 'EventLogPolicy', {
      resourcePolicyName: `${busName}-event-log`,
      policyStatements: [
        new iam.PolicyStatement({
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('delivery.logs.amazonaws.com'),
          ],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
          // The rule's ARN is built from its name: referencing the rule would be a cycle (rule -> policy).
          conditions: {
            ArnEquals: {
              'aws:SourceArn': stack.formatArn({
                service: 'events',
                resource: 'rule',
                resourceName: `${busName}/${ruleName}`,
              }),
            },
          },
        }),
      ],
    });
    rule.node.addDependency(policy);
  }
}
