import {
  ENV,
  facadeUrlVar,
  namesOf,
  OUTBOX_STREAM_FILTER_PATTERN,
  type QuantumManifest,
  type Registry,
  replyQueueUrlVar,
  requestQueueUrlVar,
} from '@quanta/runtime/manifest';
import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './DeadLetterQueue';
import { EncryptionKey } from './EncryptionKey';
import { EventInbox } from './EventInbox';
import { SynthError } from './errors';
import { FACADE_STAGE, FacadeApi } from './FacadeApi';
import { Placement } from './Placement';
import { pascalCase } from './pascalCase';
import { QuantumFunction, type TableAccess } from './QuantumFunction';
import { QuantumMonitoring } from './QuantumMonitoring';
import { QuantumTable } from './QuantumTable';
import { RequestTopology } from './RequestTopology';
import { SigningKey } from './SigningKey';
import { scheduleInputOf } from './scheduleInputOf';

/** Properties of {@link QuantumResources}. */
export interface QuantumResourcesProps {
  /** The quantum. */
  readonly manifest: QuantumManifest;
  /** The registry. */
  readonly registry: Registry;
  /** Every manifest by name: who sends requests to this quantum, whose facades it calls. */
  readonly manifests: Readonly<Record<string, QuantumManifest>>;
  /**
   * Bus the subscription rules go on: the platform bus, or the quantum's own bus when it is remote.
   * Required when the manifest declares subscriptions. @default none
   */
  readonly subscriptionBus?: events.IEventBus;
  /**
   * Table access per function name; unlisted functions get `readWrite`.
   * @default every function `readWrite`
   */
  readonly tableAccess?: Readonly<Record<string, TableAccess>>;
  /** ARNs of previous signing keys still published in the JWKS (rotation). @default none */
  readonly previousSigningKeyArns?: readonly string[];
}

/**
 * Everything a manifest declares, built the same way for every quantum, the platform included: its
 * table, its functions, its signing key, its data encryption key, its outbox relay (table stream -> platform bus), its
 * subscription inboxes, its side of the request/reply channel, its facade calls, its schedules, its
 * facade API, and its alarms and dashboard.
 *
 * Every function touches only this quantum's resources: its table, its queues, its key, its log group,
 * and of the shared meeting points only what its manifest declares (PutEvents on the platform bus with
 * its own source, SendMessage to the request queues of its targets and the reply queues of its senders).
 *
 * @example
 * ```ts
 * const resources = new QuantumResources(this, 'Resources', { manifest, registry, manifests, subscriptionBus });
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
  readonly #manifest: QuantumManifest;
  readonly #registry: Registry;

  constructor(scope: Construct, id: string, props: QuantumResourcesProps) {
    super(scope, id);
    const { manifest, registry } = props;
    this.#manifest = manifest;
    this.#registry = registry;
    const placement = new Placement(registry, this);
    const names = namesOf(manifest.name, registry.prefix);

    for (const name of Object.keys(props.tableAccess ?? {})) {
      if (!(name in manifest.functions)) {
        throw new SynthError(
          `tableAccess names function '${name}', which quantum '${manifest.name}' does not declare; it declares: ${Object.keys(manifest.functions).join(', ')}`,
        );
      }
    }

    this.table = new QuantumTable(this, 'Table', { manifest, registry });
    this.monitoring = new QuantumMonitoring(this, 'Monitoring', {
      prefix: registry.prefix,
      quantum: manifest.name,
    });

    for (const name of Object.keys(manifest.functions)) {
      const fn = new QuantumFunction(this, `${pascalCase(name)}Function`, { manifest, name, registry });
      fn.bindTable(this.table, props.tableAccess?.[name] ?? 'readWrite');
      this.#functions.set(name, fn);
    }

    if (manifest.signingKey === true) {
      this.signingKey = new SigningKey(this, 'SigningKey', {
        prefix: registry.prefix,
        quantum: manifest.name,
        production: registry.production,
        previousKeyArns: props.previousSigningKeyArns,
      });
      this.functionNamed('api', 'signingKey').bindSigningKeys(this.signingKey.keys);
    }

    if (manifest.encryptionKey === true) {
      this.encryptionKey = new EncryptionKey(this, 'EncryptionKey', {
        prefix: registry.prefix,
        quantum: manifest.name,
        production: registry.production,
      });
      // Which function encrypts or decrypts is not in the manifest, so every function of the quantum may.
      for (const fn of this.#functions.values()) fn.bindEncryptionKey(this.encryptionKey.key);
    }

    if (manifest.outboxRelay !== undefined) {
      const relay = this.functionNamed(manifest.outboxRelay, 'outboxRelay');
      const dlq = new DeadLetterQueue(this, 'OutboxRelayDeadLetterQueue', {
        queueName: names.dlq(`${registry.prefix}-${manifest.name}-outbox-relay`),
        purpose: 'the stream positions of outbox batches the relay still failed on after its retries',
      });
      relay.function.addEventSource(
        new DynamoEventSource(this.table.table, {
          // TRIM_HORIZON: an outbox item committed while the mapping was being created is still relayed.
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 25,
          bisectBatchOnError: true,
          retryAttempts: 10,
          maxRecordAge: Duration.hours(24),
          parallelizationFactor: 1,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(dlq.queue),
          // The same pattern the local cloud's stream poller applies (one source of truth).
          filters: [{ pattern: JSON.stringify(OUTBOX_STREAM_FILTER_PATTERN) }],
        }),
      );
      relay.bindEventBus(placement.platformBusArn, names.eventSource);
      this.monitoring.monitorDeadLetterQueue(dlq.queue, 'OutboxRelay');
    }

    const inboxes = new Map<string, EventInbox>();
    const subscriptionBus = props.subscriptionBus;
    if ((manifest.subscriptions ?? []).length > 0 && subscriptionBus === undefined) {
      throw new SynthError(
        `Quantum '${manifest.name}' declares subscriptions but was given no bus to put their rules on`,
      );
    }
    for (const subscription of manifest.subscriptions ?? []) {
      const inbox = new EventInbox(this, `${pascalCase(subscription.id)}Inbox`, {
        manifest,
        registry,
        subscription,
        eventBus: subscriptionBus as events.IEventBus,
        consumer: this.functionNamed(subscription.function, `subscription '${subscription.id}'`),
      });
      this.monitoring.monitorQueue(inbox.queue.queue, pascalCase(subscription.id));
      this.monitoring.monitorDeadLetterQueue(inbox.queue.deadLetterQueue, pascalCase(subscription.id));
      inboxes.set(subscription.id, inbox);
    }
    this.inboxes = inboxes;

    this.#wireRequestReply(placement, new RequestTopology(registry, props.manifests));
    this.#wireFacadeCalls(placement, props.manifests);
    this.#wireSchedules();

    if ((manifest.facade ?? []).length > 0) {
      this.facade = new FacadeApi(this, 'Facade', {
        manifest,
        registry,
        placement,
        handler: this.functionNamed('facade', 'facade'),
      });
      this.monitoring.monitorMetric(
        'Facade5xx',
        this.facade.api.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' }),
        0,
        `The ${manifest.name} facade answered 5xx`,
      );
    }

    for (const fn of this.#functions.values()) this.monitoring.monitorFunction(fn);
    // Business alarms the quantum declares (e.g. orders' saga timeouts): one breaching period pages.
    for (const alarm of manifest.metricAlarms ?? []) {
      this.monitoring.monitorMetric(
        alarm.metric,
        new cloudwatch.Metric({
          namespace: 'Quanta',
          metricName: alarm.metric,
          dimensionsMap: { service: manifest.name },
          statistic: 'Sum',
          period: Duration.seconds(alarm.periodSeconds ?? 300),
        }),
        alarm.threshold ?? 0,
        alarm.description,
        1,
      );
    }
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
        `Quantum '${this.#manifest.name}' needs a function '${name}' for ${usedBy}, but declares only: ${[...this.#functions.keys()].join(', ')}`,
      );
    }
    return fn;
  }

  /**
   * Request/reply queues live in the platform stack (a meeting point); this side consumes its own
   * request and reply queues and gets SendMessage on exactly the queues it talks to.
   */
  #wireRequestReply(placement: Placement, topology: RequestTopology): void {
    const manifest = this.#manifest;
    const me = manifest.name;
    const consumesPlatformQueues = topology.answers(me) || topology.sends(me);
    if (consumesPlatformQueues && !this.#sameRegionAsPlatform(placement)) {
      throw new SynthError(
        `Quantum '${me}' uses request/reply queues, which live in the platform's region '${placement.regionOf('platform')}', but is registered in '${placement.regionOf(me)}'; Lambda cannot consume an SQS queue in another region. Register it in the platform's region.`,
      );
    }
    const queueNames = (q: string) => namesOf(q, this.#registry.prefix);

    const requestHandler = manifest.requestHandlers?.[0]?.function;
    if (requestHandler !== undefined && topology.answers(me)) {
      const consumer = this.functionNamed(requestHandler, 'request handlers');
      const name = queueNames(me).requestQueue;
      consumer.consumeQueue(
        sqs.Queue.fromQueueAttributes(this, 'RequestQueue', {
          queueArn: placement.platformQueueArn(name),
          queueUrl: placement.platformQueueUrl(name),
        }),
      );
      // Each request names its replyTo, but the handler sends only to the reply queues it was given.
      for (const sender of topology.sendersTo(me)) {
        const reply = queueNames(sender).replyQueue;
        consumer.bindSendQueue(
          { arn: placement.platformQueueArn(reply), url: placement.platformQueueUrl(reply) },
          replyQueueUrlVar(sender),
        );
      }
    }

    if (manifest.replyHandler !== undefined && topology.sends(me)) {
      const reply = queueNames(me).replyQueue;
      const replyQueue = { arn: placement.platformQueueArn(reply), url: placement.platformQueueUrl(reply) };
      this.functionNamed(manifest.replyHandler, 'replyHandler').consumeQueue(
        sqs.Queue.fromQueueAttributes(this, 'ReplyQueue', {
          queueArn: replyQueue.arn,
          queueUrl: replyQueue.url,
        }),
      );
      // Which function sends a request is not in the manifest, so every function of the sender may.
      for (const fn of this.#functions.values()) {
        fn.addEnvironment(ENV.replyQueueUrl, replyQueue.url);
        for (const target of topology.targetsOf(me)) {
          const request = queueNames(target).requestQueue;
          fn.bindSendQueue(
            { arn: placement.platformQueueArn(request), url: placement.platformQueueUrl(request) },
            requestQueueUrlVar(target),
          );
        }
      }
    }
  }

  /**
   * Facade calls: `execute-api:Invoke` on exactly the target operations that name this quantum as a
   * caller, and `FACADE_URL_<TARGET>` resolved from the target's SSM parameter at deploy time.
   */
  #wireFacadeCalls(placement: Placement, manifests: Readonly<Record<string, QuantumManifest>>): void {
    const me = this.#manifest.name;
    const registry = this.#registry;
    for (const target of this.#manifest.calls ?? []) {
      if (!(target in registry.quanta)) continue;
      const targetManifest = manifests[target];
      const operations = (targetManifest?.facade ?? []).filter((op) => op.callers.includes(me));
      if (operations.length === 0) {
        throw new SynthError(
          `Quantum '${me}' calls the facade of '${target}', but no operation of '${target}' lists '${me}' among its callers`,
        );
      }
      if (!placement.isColocated(me, target)) {
        throw new SynthError(
          `Quantum '${me}' calls the facade of '${target}', which is in another account or region; its URL is published in SSM there and cannot be resolved here. Co-locate them or pass the URL explicitly (not supported yet).`,
        );
      }
      const url = ssm.StringParameter.valueForStringParameter(
        this,
        namesOf(target, registry.prefix).facadeUrlParameter,
      );
      // https://{apiId}.execute-api.{region}.{suffix}/{stage}: the API id scopes the grant to that API.
      const apiId = Fn.select(0, Fn.split('.', Fn.select(2, Fn.split('/', url))));
      const arns = operations.map((op) =>
        placement.executeApiArn(target, `${apiId}/${FACADE_STAGE}/POST/ops/${op.name}`),
      );
      // Which function calls a facade is not in the manifest, so every function of the caller may.
      for (const fn of this.#functions.values()) fn.bindFacade(facadeUrlVar(target), url, arns);
    }
  }

  /** Schedules: EventBridge Scheduler invoking the function, with retries and a DLQ. */
  #wireSchedules(): void {
    const manifest = this.#manifest;
    const registry = this.#registry;
    const names = namesOf(manifest.name, registry.prefix);
    for (const schedule of manifest.schedules ?? []) {
      if (schedule.everySeconds < 60 || schedule.everySeconds % 60 !== 0) {
        throw new SynthError(
          `Schedule '${schedule.id}' of '${manifest.name}' runs every ${schedule.everySeconds} s; EventBridge Scheduler needs a whole number of minutes (60, 120, …)`,
        );
      }
      const fn = this.functionNamed(schedule.function, `schedule '${schedule.id}'`);
      const dlq = new DeadLetterQueue(this, `${pascalCase(schedule.id)}ScheduleDeadLetterQueue`, {
        queueName: names.dlq(`${registry.prefix}-${manifest.name}-schedule-${schedule.id}`),
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
        scheduleName: `${registry.prefix}-${manifest.name}-${schedule.id}`,
        description: `${manifest.name}: ${schedule.function} every ${schedule.everySeconds} s`,
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(schedule.everySeconds / 60)),
        target: new schedulerTargets.LambdaInvoke(fn.function, {
          // Explicit input, so the local scheduler can send exactly the same payload.
          input: scheduler.ScheduleTargetInput.fromObject(
            scheduleInputOf(manifest.name, schedule.id, {
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

  #sameRegionAsPlatform(placement: Placement): boolean {
    return placement.regionOf(this.#manifest.name) === placement.regionOf('platform');
  }
}
