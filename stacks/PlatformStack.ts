import { ENV, type QuantaPlan } from '@quanta/runtime/manifest';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ownAccountLogging } from './ApiGatewayAccountLogging';
import { SynthError } from './errors';
import { Placement } from './Placement';
import { PlatformEventBus } from './PlatformEventBus';
import { PlatformHttpApi } from './PlatformHttpApi';
import { PlatformWebSocketApi } from './PlatformWebSocketApi';
import { pascalCase } from './pascalCase';
import { QuantumResources } from './QuantumResources';
import { RequestReplyQueues } from './RequestReplyQueues';

/** Properties of a {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  /** The plan; its platform quantum is rendered here with the meeting points. */
  readonly plan: QuantaPlan;
  /**
   * Create the account-wide API Gateway logging role for the platform's account and region.
   * Turn off when the account already has one.
   * @default true
   */
  readonly manageApiGatewayAccount?: boolean;
}

/**
 * The platform stack (`Platform`): the meeting points every quantum uses, and the platform's own
 * resources, built from its manifest exactly like a quantum's (`QuantumResources`: table for the
 * session denylist and WebSocket tickets, functions `authorizer`, `wsAuthorizer`, `api`,
 * `sessionRevoked`, the `SessionRevoked` inbox, alarms, dashboard).
 *
 * Meeting points: the public HTTP API with the Lambda authorizer, the event bus (archive, log rule,
 * publisher policy, forwarding to remote quanta), the request/reply queues and the WebSocket API.
 * It references quanta only by deterministic names and ARNs, never by construct, so it neither
 * exports to nor depends on any quantum stack.
 *
 * @example
 * ```ts
 * new PlatformStack(app, 'Platform', { env, plan });
 * ```
 */
export class PlatformStack extends Stack {
  /** The platform's own table, functions, inbox, alarms and dashboard. */
  readonly resources: QuantumResources;
  /** The event bus and its rules. */
  readonly eventBus: PlatformEventBus;
  /** The public HTTP API. */
  readonly httpApi: PlatformHttpApi;
  /** The request/reply queues. */
  readonly requestReplyQueues: RequestReplyQueues;
  /** The WebSocket API. */
  readonly webSocketApi: PlatformWebSocketApi;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, {
      ...props,
      description:
        props.description ??
        'Quanta platform: HTTP/WebSocket APIs, authorizers, event bus, request/reply queues',
      terminationProtection: props.terminationProtection ?? props.plan.production,
    });
    const { plan } = props;
    const quantum = plan.quanta.find((q) => q.role === 'platform');
    if (quantum === undefined) {
      throw new SynthError(
        `The plan has no platform quantum; quanta: ${plan.quanta.map((q) => q.name).join(', ')}`,
      );
    }
    const placement = new Placement(plan, this);
    const accountLogging = ownAccountLogging(this, quantum.name, placement, props.manageApiGatewayAccount);

    this.eventBus = new PlatformEventBus(this, 'EventBus', { plan });

    this.resources = new QuantumResources(this, 'Resources', {
      plan,
      quantum,
      subscriptionBus: this.eventBus.bus,
    });
    const authorizer = this.resources.functionWithTrigger('httpAuthorizer', 'the HTTP API authorizer');

    this.httpApi = new PlatformHttpApi(this, 'HttpApi', {
      plan,
      authorizer,
      platformApi: this.resources.functionNamed('api', 'the platform routes'),
    });
    if (typeof authorizer.plan.environment[ENV.jwksUri] === 'object') {
      authorizer.addEnvironment(ENV.jwksUri, this.httpApi.jwksUri);
    }

    this.requestReplyQueues = new RequestReplyQueues(this, 'RequestReplyQueues', { plan });

    this.webSocketApi = new PlatformWebSocketApi(this, 'WebSocketApi', {
      plan,
      authorizer: this.resources.functionWithTrigger(
        'webSocketAuthorizer',
        'the WebSocket $connect authorizer',
      ),
    });
    // The platform's own APIs' URLs exist only now: set the variables the plan gives its functions.
    for (const fn of this.resources.functions.values()) {
      if (typeof fn.plan.environment[ENV.webSocketUrl] === 'object') {
        fn.addEnvironment(ENV.webSocketUrl, this.webSocketApi.stage.url);
      }
    }
    if (accountLogging !== undefined) {
      this.webSocketApi.stage.node.addDependency(accountLogging);
      if (this.resources.facade !== undefined)
        this.resources.facade.api.deploymentStage.node.addDependency(accountLogging);
    }

    const monitoring = this.resources.monitoring;
    monitoring.monitorMetric(
      'HttpApi5xx',
      this.httpApi.stage.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' }),
      0,
      'The public HTTP API answered 5xx (integration or authorizer failures)',
    );
    for (const channel of this.requestReplyQueues.queues) {
      const label = `${pascalCase(channel.consumer)}${channel.kind === 'request' ? 'Requests' : 'Replies'}`;
      monitoring.monitorQueue(channel.queue.queue, label);
      monitoring.monitorDeadLetterQueue(channel.queue.deadLetterQueue, label);
    }
    for (const forwarding of this.eventBus.forwardings) {
      monitoring.monitorDeadLetterQueue(
        forwarding.deadLetterQueue.queue,
        `Forward${pascalCase(forwarding.quantum)}`,
      );
    }
  }
}
