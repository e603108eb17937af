import type { EnvValue, QuantaPlan, QuantumPlan, QueuePlan, Trigger } from '@quanta/runtime/manifest';
import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './DeadLetterQueue';
import { EncryptionKey } from './EncryptionKey';
import { EventInbox } from './EventInbox';
import { SynthError } from './errors';
import { FacadeApi, FacadeUrls } from './FacadeApi';
import { Placement } from './Placement';
import { WebSocketEndpoint } from './PlatformWebSocketApi';
import { pascalCase } from './pascalCase';
import { QuantumFunction } from './QuantumFunction';
import { QuantumMonitoring } from './QuantumMonitoring';
import { QuantumTable } from './QuantumTable';
import { QueueWithDeadLetter } from './QueueWithDeadLetter';
import { SigningKey } from './SigningKey';
import { scheduleInputOf } from './scheduleInputOf';

/** Properties of {@link QuantumResources}. */
export interface QuantumResourcesProps {
  /** The whole plan (where the quanta live, whose facades exist). */
  readonly plan: QuantaPlan;
  /** The quantum to render. */
  readonly quantum: QuantumPlan;
  /**
   * Bus the subscription rules go on: the platform bus, or the quantum's own bus when it is remote.
   * Required when the plan gives the quantum rules. @default none
   */
  readonly subscriptionBus?: events.IEventBus;
  /** ARNs of previous signing keys still published in the JWKS (rotation). @default none */
  readonly previousSigningKeyArns?: readonly string[];
}

/**
 * Renders one quantum of the plan, the platform included: its table, its functions with the plan's
 * environment and permissions, its signing key, its data encryption key, its outbox relay (table
 * stream -> platform bus), its subscription inboxes, its side of the request/reply channel, its
 * facade calls, its schedules, its facade API, and its alarms and dashboard. It decides nothing the
 * plan has not decided: every name, trigger, variable and grant comes from the plan.
 *
 * Every function touches only this quantum's resources: its table, its queues, its key, its log group,
 * and of the shared meeting points only what the plan grants (PutEvents on the platform bus with its
 * own source, SendMessage to the request queues of its targets and the reply queues of its senders).
 *
 * @example
 * ```ts
 * const resources = new QuantumResources(this, 'Resources', { plan, quantum, subscriptionBus });
 * resources.functionNamed('api').function.functionArn;
 * ```
 */
export class QuantumResources extends Construct {
  /** The table. */
  readonly table: QuantumTable;
  /** Alarms and dashboard. */
  readonly monitoring: QuantumMonitoring;
  /** The signing key, when the manifest asks for one. */
  readonly signingKey?: SigningKey;
  /** The data encryption key, when the manifest asks for one. */
  readonly encryptionKey?: EncryptionKey;
  /** The facade API, when the manifest declares facade operations. */
  readonly facade?: FacadeApi;
  /** Subscription inboxes by subscription id. */
  readonly inboxes: ReadonlyMap<string, EventInbox>;
  readonly #functions = new Map<string, QuantumFunction>();
  readonly #quantum: QuantumPlan;
  readonly #plan: QuantaPlan;
  #webSocket?: WebSocketEndpoint;
  readonly #ownQueues = new Map<string, sqs.IQueue>();

  constructor(scope: Construct, id: string, props: QuantumResourcesProps) {
    super(scope, id);
    const { plan, quantum } = props;
    this.#quantum = quantum;
    this.#plan = plan;
    const placement = new Placement(plan, this);

    this.table = new QuantumTable(this, 'Table', { table: quantum.table, production: plan.production });
    this.monitoring = new QuantumMonitoring(this, 'Monitoring', {
      prefix: plan.prefix,
      quantum: quantum.name,
    });
    for (const fn of quantum.functions) {
      this.#functions.set(
        fn.key,
        new QuantumFunction(this, `${pascalCase(fn.key)}Function`, {
          plan: fn,
          production: plan.production,
          roleName: placement.roleName(fn.role),
        }),
      );
    }
    if (quantum.keys.signing) {
      this.signingKey = new SigningKey(this, 'SigningKey', {
        prefix: plan.prefix,
        quantum: quantum.name,
        production: plan.production,
        previousKeyArns: props.previousSigningKeyArns,
      });
    }
    if (quantum.keys.encryption) {
      this.encryptionKey = new EncryptionKey(this, 'EncryptionKey', {
        prefix: plan.prefix,
        quantum: quantum.name,
        production: plan.production,
      });
    }
    if ((quantum.facade?.operations.length ?? 0) > 0 && quantum.facade !== undefined) {
      this.facade = new FacadeApi(this, 'Facade', {
        facade: quantum.facade,
        quantum: quantum.name,
        production: plan.production,
        placement,
        handler: this.functionNamed('facade', 'facade'),
      });
    }

    const inboxes = new Map<string, EventInbox>();
    for (const rule of quantum.rules) {
      if (props.subscriptionBus === undefined) {
        throw new SynthError(
          `Quantum '${quantum.name}' declares subscriptions but was given no bus to put their rules on`,
        );
      }
      const queue = quantum.queues.find((q) => q.name === rule.inbox) as QueuePlan;
      const inbox = new EventInbox(this, `${pascalCase(rule.subscription)}Inbox`, {
        rule,
        queue,
        quantum: quantum.name,
        eventBus: props.subscriptionBus,
      });
      this.monitoring.monitorQueue(inbox.queue.queue, pascalCase(rule.subscription));
      this.monitoring.monitorDeadLetterQueue(inbox.queue.deadLetterQueue, pascalCase(rule.subscription));
      inboxes.set(rule.subscription, inbox);
    }
    this.inboxes = inboxes;

    // The quantum's own work queues (any of its functions sends, one consumes).
    for (const queue of quantum.queues.filter((q) => q.kind === 'work')) {
      const label = pascalCase(queue.name.slice(`${plan.prefix}-${quantum.name}-`.length));
      const work = new QueueWithDeadLetter(this, `${label}WorkQueue`, {
        queueName: queue.name,
        deadLetterQueueName: queue.deadLetterQueue.name,
        maxReceiveCount: queue.deadLetterQueue.maxReceiveCount,
        visibilityTimeout: Duration.seconds(queue.visibilityTimeoutSeconds),
        purpose: `work of ${quantum.name}'s ${queue.consumer.function}`,
      });
      this.#ownQueues.set(queue.name, work.queue);
      this.monitoring.monitorQueue(work.queue, label);
      this.monitoring.monitorDeadLetterQueue(work.deadLetterQueue, label);
    }

    const facadeUrls = new FacadeUrls(this, quantum, placement);
    for (const fn of this.#functions.values()) {
      this.#bindEnvironment(fn, placement, facadeUrls);
      this.#grant(fn, placement, facadeUrls);
      this.#wireTriggers(fn, placement, inboxes);
    }
    this.#wireSchedules();

    if (this.facade !== undefined) {
      this.monitoring.monitorMetric(
        'Facade5xx',
        this.facade.api.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' }),
        0,
        `The ${quantum.name} facade answered 5xx`,
      );
    }
    for (const fn of this.#functions.values()) this.monitoring.monitorFunction(fn);
    // Business alarms the quantum declares (e.g. orders' saga timeouts): one breaching period pages.
    for (const alarm of quantum.alarms) {
      this.monitoring.monitorMetric(
        alarm.metric,
        new cloudwatch.Metric({
          namespace: 'Quanta',
          metricName: alarm.metric,
          dimensionsMap: { service: quantum.name },
          statistic: 'Sum',
          period: Duration.seconds(alarm.periodSeconds ?? 300),
        }),
        alarm.threshold ?? 0,
        alarm.description,
        1,
      );
    }
  }

  /** The function the plan gives a trigger of `kind` (e.g. the platform's `httpAuthorizer`); fails synth naming `usedBy` when none has. */
  functionWithTrigger(kind: Trigger['kind'], usedBy: string): QuantumFunction {
    const fn = [...this.#functions.values()].find((f) => f.plan.triggers.some((t) => t.kind === kind));
    if (fn === undefined) {
      throw new SynthError(
        `Quantum '${this.#quantum.name}' has no function for ${usedBy} (a '${kind}' trigger)`,
      );
    }
    return fn;
  }

  /** The quantum's functions by manifest name. */
  get functions(): ReadonlyMap<string, QuantumFunction> {
    return this.#functions;
  }

  /** The function `name`; fails synth naming `usedBy` when the manifest does not declare it. */
  functionNamed(name: string, usedBy = 'the stack'): QuantumFunction {
    const fn = this.#functions.get(name);
    if (fn === undefined) {
      throw new SynthError(
        `Quantum '${this.#quantum.name}' needs a function '${name}' for ${usedBy}, but declares only: ${[...this.#functions.keys()].join(', ')}`,
      );
    }
    return fn;
  }

  /** The plan's deploy-time variables, resolved to CloudFormation values. */
  #bindEnvironment(fn: QuantumFunction, placement: Placement, facadeUrls: FacadeUrls): void {
    for (const [name, value] of Object.entries(fn.plan.environment)) {
      // Plain text is set by the constructor; the platform's own APIs' URLs by the platform stack
      // once those APIs exist.
      if (typeof value === 'string' || value.ref === 'jwksUri' || value.ref === 'webSocketUrl') continue;
      fn.addEnvironment(name, this.#resolve(value, placement, facadeUrls));
    }
  }

  #resolve(
    value: Exclude<EnvValue, string | { ref: 'jwksUri' } | { ref: 'webSocketUrl' }>,
    placement: Placement,
    facadeUrls: FacadeUrls,
  ): string {
    switch (value.ref) {
      case 'queueUrl':
        return placement.queueUrl(value.host, value.queue);
      case 'facadeUrl':
        return facadeUrls.urlOf(value.quantum);
      case 'eventBus':
        return placement.platformBusArn;
      case 'signingKeys':
        return Fn.join(
          ',',
          this.#signingKey().keys.map((k) => k.keyArn),
        );
      case 'encryptionKey':
        return this.#encryptionKey().key.keyArn;
      case 'webSocketManagementUrl':
        return this.#webSocketEndpoint(placement).managementUrl;
    }
  }

  /** The plan's symbolic permissions, granted on the resources they name. */
  #grant(fn: QuantumFunction, placement: Placement, facadeUrls: FacadeUrls): void {
    for (const permission of fn.plan.permissions) {
      switch (permission.kind) {
        case 'table':
          fn.bindTable(this.table, permission.access);
          break;
        case 'sendQueue':
          fn.bindSendQueue(placement.queueArn(permission.host, permission.queue));
          break;
        case 'putEvents':
          fn.bindEventBus(placement.platformBusArn, permission.source);
          break;
        case 'signingKey':
          fn.bindSigningKeys(this.#signingKey().keys);
          break;
        case 'encryptionKey':
          fn.bindEncryptionKey(this.#encryptionKey().key);
          break;
        case 'invokeFacade':
          fn.bindFacade(facadeUrls.operationArns(permission.quantum, permission.operations));
          break;
        case 'manageConnections':
          fn.bindConnections(this.#webSocketEndpoint(placement).connectionsArn);
          break;
      }
    }
  }

  /** The plan's queue and stream triggers as event sources (HTTP, facade and schedule triggers are wired by their APIs). */
  #wireTriggers(fn: QuantumFunction, placement: Placement, inboxes: ReadonlyMap<string, EventInbox>): void {
    for (const trigger of fn.plan.triggers) {
      if (trigger.kind === 'queue') {
        const inbox = [...inboxes.values()].find((i) => i.queueName === trigger.queue);
        // Inboxes and work queues are in this stack; request/reply queues in the platform's, by ARN.
        const queue =
          inbox?.queue.queue ??
          this.#ownQueues.get(trigger.queue) ??
          sqs.Queue.fromQueueAttributes(this, this.#channelQueueId(trigger.queue), {
            queueArn: placement.platformQueueArn(trigger.queue),
            queueUrl: placement.platformQueueUrl(trigger.queue),
          });
        fn.consumeQueue(queue, {
          batchSize: trigger.batchSize,
          maxBatchingWindowSeconds:
            trigger.maxBatchingWindowSeconds === 0 ? undefined : trigger.maxBatchingWindowSeconds,
        });
      } else if (trigger.kind === 'stream') {
        const dlq = new DeadLetterQueue(this, 'OutboxRelayDeadLetterQueue', {
          queueName: trigger.deadLetterQueue,
          purpose: 'the stream positions of outbox batches the relay still failed on after its retries',
        });
        fn.function.addEventSource(
          new DynamoEventSource(this.table.table, {
            // TRIM_HORIZON: an outbox item committed while the mapping was being created is still relayed.
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: trigger.batchSize,
            bisectBatchOnError: true,
            retryAttempts: trigger.retryAttempts,
            maxRecordAge: Duration.seconds(trigger.maxRecordAgeSeconds),
            parallelizationFactor: 1,
            reportBatchItemFailures: true,
            onFailure: new SqsDlq(dlq.queue),
            // The same pattern the local cloud's stream poller applies (one source of truth).
            filters: [{ pattern: JSON.stringify(trigger.filter) }],
          }),
        );
        this.monitoring.monitorDeadLetterQueue(dlq.queue, 'OutboxRelay');
      }
    }
  }

  /** `RequestQueue` / `ReplyQueue`: the ids the imported request/reply queues always had. */
  #channelQueueId(queueName: string): string {
    const own = this.#plan.quanta
      .flatMap((q) => q.queues)
      .find((q) => q.name === queueName && q.consumer.quantum === this.#quantum.name);
    return own?.kind === 'reply' ? 'ReplyQueue' : 'RequestQueue';
  }

  #webSocketEndpoint(placement: Placement): WebSocketEndpoint {
    this.#webSocket ??= new WebSocketEndpoint(this, this.#plan, placement);
    return this.#webSocket;
  }

  #signingKey(): SigningKey {
    if (this.signingKey === undefined)
      throw new SynthError(`Quantum '${this.#quantum.name}' holds no signing key`);
    return this.signingKey;
  }

  #encryptionKey(): EncryptionKey {
    if (this.encryptionKey === undefined)
      throw new SynthError(`Quantum '${this.#quantum.name}' holds no encryption key`);
    return this.encryptionKey;
  }

  /** Schedules: EventBridge Scheduler invoking the function, with retries and a DLQ. */
  #wireSchedules(): void {
    const quantum = this.#quantum;
    for (const schedule of quantum.schedules) {
      const fn = this.functionNamed(schedule.function, `schedule '${schedule.id}'`);
      const dlq = new DeadLetterQueue(this, `${pascalCase(schedule.id)}ScheduleDeadLetterQueue`, {
        queueName: schedule.deadLetterQueue,
        purpose: `invocations of schedule '${schedule.id}' that could not be delivered or failed after retries`,
      });
      // Scheduler invokes asynchronously: its DLQ catches delivery failures, the function's
      // on-failure destination catches runs that failed after Lambda's retries.
      fn.sendAsyncFailuresTo(dlq.queue);
      const role = new iam.Role(this, `${pascalCase(schedule.id)}ScheduleRole`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
        description: `EventBridge Scheduler invokes ${fn.functionName} (schedule '${schedule.id}')`,
      });
      new scheduler.Schedule(this, `${pascalCase(schedule.id)}Schedule`, {
        scheduleName: schedule.name,
        description: `${quantum.name}: ${schedule.function} every ${schedule.everySeconds} s`,
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(schedule.everySeconds / 60)),
        target: new schedulerTargets.LambdaInvoke(fn.function, {
          // Explicit input, so the local scheduler can send exactly the same payload.
          input: scheduler.ScheduleTargetInput.fromObject(
            scheduleInputOf(quantum.name, schedule.id, {
              scheduleArn: scheduler.ContextAttribute.scheduleArn,
              scheduledTime: scheduler.ContextAttribute.scheduledTime,
              executionId: scheduler.ContextAttribute.executionId,
              attemptNumber: scheduler.ContextAttribute.attemptNumber,
            }),
          ),
          role,
          deadLetterQueue: dlq.queue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
        }),
      });
      const functionId = Stack.of(this).getLogicalId(fn.function.node.defaultChild as lambda.CfnFunction);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason: `CDK's invoke grant also covers the versions and aliases of ${fn.functionName} (':*'); the schedule role can invoke that one function and nothing else.`,
      });
      this.monitoring.monitorDeadLetterQueue(dlq.queue, `${pascalCase(schedule.id)}Schedule`);
    }
  }
}
