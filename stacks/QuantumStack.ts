import type { PlatformApiIdPlan, QuantaPlan, QuantumPlan } from '@quanta/runtime/manifest';
import { CfnDynamicReference, CfnDynamicReferenceService, Stack, type StackProps, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ownAccountLogging } from './ApiGatewayAccountLogging';
import { SynthError } from './errors';
import { Placement, sharedParameterArn } from './Placement';
import { QuantumResources } from './QuantumResources';

/** Properties of a {@link QuantumStack}. */
export interface QuantumStackProps extends StackProps {
  /** The whole plan. */
  readonly plan: QuantaPlan;
  /** The quantum to render (a business quantum: the platform is rendered by `PlatformStack`). */
  readonly quantum: QuantumPlan;
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
 * One quantum's stack (id = `stackIdOf(name)`, e.g. `Identity`), rendered from its part of the plan.
 * It shares no CloudFormation exports with any other stack and depends on none, so
 * `cdk deploy Identity` deploys it alone: platform resources are reached by deterministic names/ARNs.
 *
 * - In the platform's account and region, its subscription rules go on the platform bus (by name).
 *   Elsewhere (another account or region) it gets its own bus `names.quantumBus`, which admits PutEvents
 *   only from the platform's forwarding role for it (exact ARN); the platform forwards matching events
 *   there with one rule. A remote quantum without subscriptions gets no bus.
 * - Its `api` function (and `ws` for the WebSocket quantum) may be invoked only by the platform's
 *   HTTP (WebSocket) API, on the routes under its base path (its route keys). The source ARN names
 *   that API's id, read at deploy time from the parameter the platform writes: by a dynamic reference
 *   in the platform's account and region, by ARN (shared through AWS RAM) elsewhere. Another API in
 *   the platform's account, with an authorizer of its maker's choosing, cannot invoke it.
 *
 * @example
 * ```ts
 * new QuantumStack(app, 'Identity', { env, plan, quantum: quantumOf(plan, 'identity') });
 * ```
 */
export class QuantumStack extends Stack {
  /** The quantum's resources. */
  readonly resources: QuantumResources;
  /** The quantum's own bus, when it is remote from the platform and subscribes to events. */
  readonly ownBus?: events.EventBus;
  readonly #apiIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: QuantumStackProps) {
    super(scope, id, {
      ...props,
      description: props.description ?? `Quanta quantum '${props.quantum.name}'`,
      terminationProtection: props.terminationProtection ?? props.plan.production,
    });
    const { plan, quantum } = props;
    if (quantum.role === 'platform') {
      throw new SynthError(`The platform is built by PlatformStack, not QuantumStack (stack id '${id}')`);
    }
    const placement = new Placement(plan, this);
    const accountLogging = ownAccountLogging(this, quantum.name, placement, props.manageApiGatewayAccount);

    // Rules go where the events are: on the platform bus in the platform's account and region,
    // otherwise on this quantum's own bus, which the platform forwards to.
    let subscriptionBus: events.IEventBus | undefined;
    if (quantum.ownBus !== undefined) {
      const forwarding = plan.platform.forwardings.find((f) => f.quantum === quantum.name);
      if (forwarding === undefined) {
        throw new SynthError(
          `Quantum '${quantum.name}' has its own bus, but the platform forwards nothing to it`,
        );
      }
      this.ownBus = new events.EventBus(this, 'Bus', {
        eventBusName: quantum.ownBus,
        description: `Events forwarded to ${quantum.name} by the platform bus`,
      });
      this.ownBus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PlatformForwards',
          principals: [new iam.AccountPrincipal(placement.accountOf(forwarding.role.quantum))],
          actions: ['events:PutEvents'],
          resources: [this.ownBus.eventBusArn],
          conditions: { ArnEquals: { 'aws:PrincipalArn': placement.roleArn(forwarding.role) } },
        }),
      );
      subscriptionBus = this.ownBus;
    } else if (quantum.rules.length > 0) {
      subscriptionBus = events.EventBus.fromEventBusName(this, 'PlatformBus', plan.platform.bus);
    }

    this.resources = new QuantumResources(this, 'Resources', {
      plan,
      quantum,
      subscriptionBus,
      previousSigningKeyArns: props.previousSigningKeyArns,
    });
    if (accountLogging !== undefined && this.resources.facade !== undefined) {
      this.resources.facade.api.deploymentStage.node.addDependency(accountLogging);
    }

    // The platform's APIs invoke this quantum's functions by ARN: grant exactly those APIs (by id)
    // exactly the routes the plan gives them (its base path on the HTTP API, its route keys on the
    // WebSocket API), any stage and method.
    const platform = plan.platform.quantum;
    const apiGateway = new iam.ServicePrincipal('apigateway.amazonaws.com');
    for (const fn of this.resources.functions.values()) {
      for (const trigger of fn.plan.triggers) {
        if (trigger.kind === 'httpRoutes' && quantum.basePath !== undefined) {
          const apiId = this.#platformApiId(trigger.apiId, 'PlatformHttpApiId');
          [quantum.basePath, `${quantum.basePath}/*`].forEach((path, i) => {
            fn.function.addPermission(`PlatformHttpApiInvoke${i}`, {
              principal: apiGateway,
              action: 'lambda:InvokeFunction',
              sourceArn: placement.executeApiArn(platform, `${apiId}/*/*${path}`),
            });
          });
        }
        if (trigger.kind === 'webSocketRoutes') {
          const apiId = this.#platformApiId(trigger.apiId, 'PlatformWebSocketApiId');
          trigger.routeKeys.forEach((routeKey, i) => {
            fn.function.addPermission(`PlatformWebSocketInvoke${i}`, {
              principal: apiGateway,
              action: 'lambda:InvokeFunction',
              sourceArn: placement.executeApiArn(platform, `${apiId}/*/${routeKey}`),
            });
          });
        }
      }
    }
  }

  /**
   * The id of a platform API, resolved at deploy time from the parameter the platform writes: in the
   * platform's account and region a dynamic reference (no template parameter, no export), elsewhere
   * the parameter shared through AWS RAM, read by ARN (CloudFormation reads shared parameters only as
   * template parameters). One value per API, however many functions or routes use it.
   */
  #platformApiId(apiId: PlatformApiIdPlan, id: string): string {
    const known = this.#apiIds.get(id);
    if (known !== undefined) return known;
    const value =
      apiId.shared === undefined
        ? Token.asString(new CfnDynamicReference(CfnDynamicReferenceService.SSM, apiId.parameter))
        : ssm.StringParameter.fromStringParameterArn(
            this,
            id,
            sharedParameterArn(apiId.shared, apiId.parameter),
          ).stringValue;
    this.#apiIds.set(id, value);
    return value;
  }
}
