import { ENV, type QuantumManifest, type Registry } from '@quanta/runtime/manifest';
import { Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiGatewayAccountLogging } from './ApiGatewayAccountLogging';
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
  /** The registry; must list `platform`. */
  readonly registry: Registry;
  /** Every manifest by name; must contain `platform`. */
  readonly manifests: Readonly<Record<string, QuantumManifest>>;
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
 * new PlatformStack(app, 'Platform', { env, registry, manifests });
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
      terminationProtection: props.terminationProtection ?? props.registry.production,
    });
    const { registry, manifests } = props;
    const manifest = manifests.platform;
    if (manifest === undefined) {
      throw new SynthError(`No manifest for 'platform'; manifests: ${Object.keys(manifests).join(', ')}`);
    }
    Tags.of(this).add('quanta:quantum', 'platform');
    const placement = new Placement(registry, this);

    const accountLogging =
      (props.manageApiGatewayAccount ?? true) &&
      placement.apiGatewayAccountOwnerFor('platform') === 'platform'
        ? new ApiGatewayAccountLogging(this, 'ApiGatewayAccount')
        : undefined;

    this.eventBus = new PlatformEventBus(this, 'EventBus', { registry, manifests });

    this.resources = new QuantumResources(this, 'Resources', {
      manifest,
      registry,
      manifests,
      subscriptionBus: this.eventBus.bus,
      // The authorizer only checks the denylist; everything else writes (denylist, tickets).
      tableAccess: { authorizer: 'read' },
    });
    const authorizer = this.resources.functionNamed('authorizer', 'the HTTP API authorizer');

    this.httpApi = new PlatformHttpApi(this, 'HttpApi', {
      registry,
      manifests,
      authorizer,
      platformApi: this.resources.functionNamed('api', 'the platform routes'),
    });
    authorizer.addEnvironment(ENV.jwksUri, this.httpApi.jwksUri);

    this.requestReplyQueues = new RequestReplyQueues(this, 'RequestReplyQueues', { registry, manifests });

    this.webSocketApi = new PlatformWebSocketApi(this, 'WebSocketApi', {
      registry,
      manifests,
      authorizer: this.resources.functionNamed('wsAuthorizer', 'the WebSocket $connect authorizer'),
    });
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
