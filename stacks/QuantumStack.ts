import { basePathOf, namesOf, type QuantumManifest, type Registry } from '@quanta/runtime/manifest';
import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ApiGatewayAccountLogging } from './ApiGatewayAccountLogging';
import { SynthError } from './errors';
import { Placement } from './Placement';
import type { TableAccess } from './QuantumFunction';
import { QuantumResources } from './QuantumResources';
import { WEBSOCKET_QUANTUM, WEBSOCKET_ROUTE_KEYS } from './webSocketRoutes';

/** Properties of a {@link QuantumStack}. */
export interface QuantumStackProps extends StackProps {
  /** The quantum (not the platform: see `PlatformStack`). */
  readonly manifest: QuantumManifest;
  /** The registry; must list the quantum. */
  readonly registry: Registry;
  /** Every manifest by name. */
  readonly manifests: Readonly<Record<string, QuantumManifest>>;
  /** Table access per function. @default every function `readWrite` */
  readonly tableAccess?: Readonly<Record<string, TableAccess>>;
  /** Previous signing key ARNs still published in the JWKS. @default none */
  readonly previousSigningKeyArns?: readonly string[];
  /**
   * Create the account-wide API Gateway logging role when this quantum owns it
   * (`Placement.apiGatewayAccountOwnerFor`). Turn off when the account already has one.
   * @default true
   */
  readonly manageApiGatewayAccount?: boolean;
}

/**
 * One quantum's stack (id = `stackIdOf(name)`, e.g. `Identity`), built from its manifest and the registry.
 * It shares no CloudFormation exports with any other stack and depends on none, so
 * `cdk deploy Identity` deploys it alone: platform resources are reached by deterministic names/ARNs.
 *
 * - In the platform's account and region, its subscription rules go on the platform bus (by name).
 *   Elsewhere (another account or region) it gets its own bus `names.quantumBus`, which admits PutEvents
 *   only from the platform stack's roles; the platform forwards matching events there with one rule.
 *   A remote quantum without subscriptions gets no bus.
 * - Its `api` function (and `ws` for the WebSocket quantum) may be invoked by API Gateway in the
 *   platform's account, on the routes under its base path only. The source ARN uses a wildcard API id:
 *   the platform API's id is not known before the platform is deployed, and cannot be read from SSM
 *   across accounts; the platform account is trusted to route, and the path scoping keeps another
 *   quantum's routes from reaching this function.
 *
 * @example
 * ```ts
 * new QuantumStack(app, 'Identity', { env, manifest: identity, registry, manifests });
 * ```
 */
export class QuantumStack extends Stack {
  /** The quantum's resources. */
  readonly resources: QuantumResources;
  /** The quantum's own bus, when it is remote from the platform and subscribes to events. */
  readonly ownBus?: events.EventBus;

  constructor(scope: Construct, id: string, props: QuantumStackProps) {
    super(scope, id, {
      ...props,
      description: props.description ?? `Quanta quantum '${props.manifest.name}'`,
      terminationProtection: props.terminationProtection ?? props.registry.production,
    });
    const { manifest, registry } = props;
    if (manifest.name === 'platform') {
      throw new SynthError(`The platform is built by PlatformStack, not QuantumStack (stack id '${id}')`);
    }
    if (!(manifest.name in registry.quanta)) {
      throw new SynthError(
        `Quantum '${manifest.name}' is not in the registry (cdk.json context 'quanta'); registered: ${Object.keys(registry.quanta).join(', ')}`,
      );
    }
    Tags.of(this).add('quanta:quantum', manifest.name);
    const placement = new Placement(registry, this);
    const names = namesOf(manifest.name, registry.prefix);

    const accountLogging =
      (props.manageApiGatewayAccount ?? true) &&
      placement.apiGatewayAccountOwnerFor(manifest.name) === manifest.name
        ? new ApiGatewayAccountLogging(this, 'ApiGatewayAccount')
        : undefined;

    // Rules go where the events are: on the platform bus in the platform's account and region,
    // otherwise on this quantum's own bus, which the platform forwards to.
    let subscriptionBus: events.IEventBus | undefined;
    if ((manifest.subscriptions ?? []).length > 0) {
      if (placement.isRemote(manifest.name)) {
        this.ownBus = new events.EventBus(this, 'Bus', {
          eventBusName: names.quantumBus,
          description: `Events forwarded to ${manifest.name} by the platform bus`,
        });
        this.ownBus.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: 'PlatformForwards',
            principals: [new iam.AccountPrincipal(placement.accountOf('platform'))],
            actions: ['events:PutEvents'],
            resources: [this.ownBus.eventBusArn],
            conditions: { ArnLike: { 'aws:PrincipalArn': placement.rolePatternOf('platform') } },
          }),
        );
        subscriptionBus = this.ownBus;
      } else {
        subscriptionBus = events.EventBus.fromEventBusName(this, 'PlatformBus', names.platformBus);
      }
    }

    this.resources = new QuantumResources(this, 'Resources', {
      manifest,
      registry,
      manifests: props.manifests,
      subscriptionBus,
      tableAccess: props.tableAccess,
      previousSigningKeyArns: props.previousSigningKeyArns,
    });
    if (accountLogging !== undefined && this.resources.facade !== undefined) {
      this.resources.facade.api.deploymentStage.node.addDependency(accountLogging);
    }

    const api = this.resources.functions.get('api');
    if (api !== undefined) {
      const base = basePathOf(manifest);
      const resources = [base, `${base}/*`];
      resources.forEach((path, i) => {
        api.function.addPermission(`PlatformHttpApiInvoke${i}`, {
          principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
          action: 'lambda:InvokeFunction',
          sourceArn: placement.executeApiArn('platform', `*/*/*${path}`),
        });
      });
    }
    const ws = this.resources.functions.get('ws');
    if (manifest.name === WEBSOCKET_QUANTUM && ws !== undefined) {
      WEBSOCKET_ROUTE_KEYS.forEach((routeKey, i) => {
        ws.function.addPermission(`PlatformWebSocketInvoke${i}`, {
          principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
          action: 'lambda:InvokeFunction',
          sourceArn: placement.executeApiArn('platform', `*/*/${routeKey}`),
        });
      });
    }
  }
}
