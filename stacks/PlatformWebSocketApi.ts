import type { QuantaPlan } from '@quanta/runtime/manifest';
import { Fn, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { apiAccessLogs } from './ApiGatewayAccountLogging';
import { Placement, sharedParameterArn } from './Placement';
import { pascalCase } from './pascalCase';
import type { QuantumFunction } from './QuantumFunction';

/** Properties of a {@link PlatformWebSocketApi}. */
export interface PlatformWebSocketApiProps {
  /** The plan: the API's name, stage, route keys and the function serving them. */
  readonly plan: QuantaPlan;
  /** The platform's `wsAuthorizer` function (redeems the one-time ticket). */
  readonly authorizer: QuantumFunction;
}

/**
 * The WebSocket API: route selection `$request.body.action`, a REQUEST Lambda authorizer on `$connect`
 * reading the one-time ticket from `route.request.querystring.ticket` (browsers cannot set headers on
 * a WebSocket handshake), and a throttled, access-logged, auto-deployed stage whose URL goes to SSM
 * under `/${prefix}/platform/websocket-url` and whose API id under `/${prefix}/platform/websocket-api-id`
 * (the serving quantum lets only this API id invoke its function). When the serving quantum is in
 * another account, both parameters are advanced-tier and shared with its account through AWS RAM.
 *
 * When a registered quantum declares WebSocket routes (`webSocket` in its manifest; the plan allows one),
 * every route key goes to its function by ARN (that quantum's stack grants the invoke permission).
 * Until then the API has its authorizer and stage but no routes: there is nothing to connect to yet.
 *
 * @example
 * ```ts
 * new PlatformWebSocketApi(this, 'WebSocketApi', { plan, authorizer: wsAuthorizer });
 * ```
 */
export class PlatformWebSocketApi extends Construct {
  /** The WebSocket API. */
  readonly api: apigwv2.WebSocketApi;
  /** Its stage. */
  readonly stage: apigwv2.WebSocketStage;
  /** The `$connect` authorizer. */
  readonly authorizer: apigwv2.WebSocketAuthorizer;
  /** The route keys created (empty until the WebSocket quantum is registered). */
  readonly routeKeys: readonly string[];

  constructor(scope: Construct, id: string, props: PlatformWebSocketApiProps) {
    super(scope, id);
    const { plan } = props;
    const ws = plan.platform.webSocketApi;
    const placement = new Placement(plan, this);
    const stack = Stack.of(this);
    const prefix = plan.prefix;

    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      apiName: ws.name,
      description: `Quanta WebSocket API; routes go to ${ws.target === undefined ? 'no quantum yet' : `${ws.target.quantum}.${ws.target.function}`}`,
      routeSelectionExpression: '$request.body.action',
    });

    const authorizerFunction = props.authorizer.function;
    this.authorizer = new apigwv2.WebSocketAuthorizer(this, 'Authorizer', {
      webSocketApi: this.api,
      authorizerName: `${prefix}-ws-authorizer`,
      type: apigwv2.WebSocketAuthorizerType.LAMBDA,
      identitySource: ['route.request.querystring.ticket'],
      authorizerUri: `arn:${stack.partition}:apigateway:${stack.region}:lambda:path/2015-03-31/functions/${authorizerFunction.functionArn}/invocations`,
    });
    authorizerFunction.addPermission('WebSocketAuthorizerInvoke', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: stack.formatArn({
        service: 'execute-api',
        resource: this.api.apiId,
        resourceName: `authorizers/${this.authorizer.authorizerId}`,
      }),
    });

    const routeKeys: string[] = [];
    const target = ws.target;
    if (target !== undefined) {
      const handler = lambda.Function.fromFunctionAttributes(this, 'WsFunction', {
        functionArn: placement.functionArn(target.quantum, target.function),
        skipPermissions: true,
      });
      const integration = new WebSocketLambdaIntegration('WsIntegration', handler);
      const connectAuthorizer = apigwv2.WebSocketAuthorizer.fromWebSocketAuthorizerAttributes(
        this,
        'ConnectAuthorizer',
        {
          authorizerId: this.authorizer.authorizerId,
          authorizerType: 'CUSTOM',
        },
      );
      for (const routeKey of ws.routeKeys) {
        const route = new apigwv2.WebSocketRoute(this, `${pascalCase(routeKey.replace('$', ''))}Route`, {
          webSocketApi: this.api,
          routeKey,
          integration,
          authorizer: routeKey === '$connect' ? connectAuthorizer : undefined,
        });
        if (routeKey !== '$connect') {
          Validations.of(route).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `API Gateway WebSocket APIs authorize once, on $connect (ticket authorizer); '${routeKey}' runs on an already authorized connection and cannot have an authorizer of its own.`,
          });
        }
        routeKeys.push(routeKey);
      }
    }
    this.routeKeys = routeKeys;

    const accessLogs = apiAccessLogs(this, ws.name, plan.production);
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: ws.stage,
      autoDeploy: true,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            eventType: '$context.eventType',
            routeKey: '$context.routeKey',
            status: '$context.status',
            connectionId: '$context.connectionId',
            error: '$context.error.message',
          }),
        ),
      },
    });

    // The serving quantum reads the URL to reach `@connections` and the id to scope its invoke
    // permission; in another account, through AWS RAM (which shares only advanced-tier parameters).
    const tier = ws.shared === undefined ? undefined : ssm.ParameterTier.ADVANCED;
    const parameter = new ssm.StringParameter(this, 'UrlParameter', {
      parameterName: ws.urlParameter,
      stringValue: this.stage.url,
      tier,
      description: 'URL of the Quanta WebSocket API (wss://…); connect with ?ticket=<one-time ticket>',
    });
    const idParameter = new ssm.StringParameter(this, 'IdParameter', {
      parameterName: ws.idParameter,
      stringValue: this.api.apiId,
      tier,
      description:
        'Id of the Quanta WebSocket API: the quantum serving its routes lets only this API invoke its function',
    });
    if (ws.shared !== undefined && ws.target !== undefined) {
      new ram.CfnResourceShare(this, 'UrlShare', {
        name: `${ws.name}-url`,
        allowExternalPrincipals: true,
        principals: [placement.accountOf(ws.target.quantum)],
        resourceArns: [parameter.parameterArn, idParameter.parameterArn],
      });
    }
  }
}

/**
 * How the quantum serving the WebSocket routes reaches the API's `@connections` endpoint: the URL
 * the platform publishes in SSM (by name in the platform's account and region, otherwise the
 * RAM-shared parameter by ARN), turned into the management endpoint (`https://{api}…/{stage}`) and
 * the ARN that `execute-api:ManageConnections` is scoped to.
 *
 * @example
 * ```ts
 * const endpoint = new WebSocketEndpoint(this, plan, placement);
 * fn.addEnvironment('WEBSOCKET_MANAGEMENT_URL', endpoint.managementUrl);
 * ```
 */
export class WebSocketEndpoint {
  /** `https://{apiId}.execute-api.{region}.{suffix}/{stage}`. */
  readonly managementUrl: string;
  /** `arn:…:execute-api:{region}:{account}:{apiId}/{stage}/*\/@connections/*`. */
  readonly connectionsArn: string;

  constructor(scope: Construct, plan: QuantaPlan, placement: Placement) {
    const ws = plan.platform.webSocketApi;
    const url =
      ws.shared === undefined
        ? ssm.StringParameter.valueForStringParameter(scope, ws.urlParameter)
        : ssm.StringParameter.fromStringParameterArn(
            scope,
            'WebSocketUrl',
            sharedParameterArn(ws.shared, ws.urlParameter),
          ).stringValue;
    // wss://{apiId}.execute-api.{region}.{suffix}/{stage}
    const hostAndStage = Fn.select(1, Fn.split('wss://', url));
    this.managementUrl = Fn.join('', ['https://', hostAndStage]);
    const apiId = Fn.select(0, Fn.split('.', hostAndStage));
    this.connectionsArn = placement.executeApiArn(
      plan.platform.quantum,
      `${apiId}/${ws.stage}/*/@connections/*`,
    );
  }
}
