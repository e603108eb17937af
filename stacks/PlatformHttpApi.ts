import type { CorsSettings, QuantaPlan } from '@quanta/runtime/manifest';
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { apiAccessLogs } from './ApiGatewayAccountLogging';
import { SynthError } from './errors';
import { Placement } from './Placement';
import { pascalCase } from './pascalCase';
import type { QuantumFunction } from './QuantumFunction';

/** Properties of a {@link PlatformHttpApi}. */
export interface PlatformHttpApiProps {
  /** The plan: the API's routes, its authorizer settings, where each integration's function lives. */
  readonly plan: QuantaPlan;
  /** The platform's `authorizer` function. */
  readonly authorizer: QuantumFunction;
  /** The platform's own `api` function (its routes are built like any quantum's). */
  readonly platformApi: QuantumFunction;
  /** Stage throttling: steady requests per second. @default 1000 */
  readonly throttleRateLimit?: number;
  /** Stage throttling: burst. @default 2000 */
  readonly throttleBurstLimit?: number;
}

const HTTP_METHODS: Readonly<Record<string, apigwv2.HttpMethod>> = {
  GET: apigwv2.HttpMethod.GET,
  POST: apigwv2.HttpMethod.POST,
  PUT: apigwv2.HttpMethod.PUT,
  PATCH: apigwv2.HttpMethod.PATCH,
  DELETE: apigwv2.HttpMethod.DELETE,
};

/** The plan's CORS settings as the HTTP API's CORS configuration (API Gateway answers the preflights). */
function corsPreflightOf(cors: CorsSettings): apigwv2.CorsPreflightOptions {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowHeaders: [...cors.allowHeaders],
    // The plan admits exactly CorsHttpMethod's values (`*` and the method names).
    allowMethods: cors.allowMethods.map((m) => m as apigwv2.CorsHttpMethod),
    exposeHeaders: [...cors.exposeHeaders],
    maxAge: Duration.seconds(cors.maxAgeSeconds),
    allowCredentials: cors.allowCredentials,
  };
}

/**
 * The only public entry: an API Gateway HTTP API. For every registered quantum with an `api` function:
 * `ANY {basePath}` and `ANY {basePath}/{proxy+}` behind the Lambda authorizer (one route per method
 * instead of `ANY` when the plan gives the API a CORS configuration, so that API Gateway answers
 * preflights before any authorizer), plus each route the
 * manifest declares `access: 'public'` as an explicit route without it (API Gateway picks the most
 * specific route, so public routes win over the proxy). Making a route public is therefore a platform
 * change, on purpose.
 *
 * Integrations are Lambda proxy integrations (payload 2.0) by ARN (`${prefix}-${quantum}-api` in the
 * quantum's account and region), so a quantum may live in another account; the quantum's stack grants
 * API Gateway the invoke permission. The authorizer: payload 2.0, simple responses, identity source
 * `$request.header.Authorization` (a request without it is answered 401 without invoking anything),
 * result cache TTL `registry.authorizerCacheTtlSeconds`.
 *
 * The `$default` stage auto-deploys, throttles and writes JSON access logs; the API URL goes to SSM
 * under `namesOf('platform').httpApiUrlParameter`, its id under `httpApiIdParameter`: each quantum
 * behind the API lets only this API id invoke its `api` function. Quanta in other accounts read the
 * id parameter by ARN, so it is then advanced-tier and shared with their accounts through AWS RAM.
 *
 * @example
 * ```ts
 * const http = new PlatformHttpApi(this, 'HttpApi', { plan, authorizer, platformApi });
 * authorizer.function.addEnvironment(ENV.jwksUri, http.jwksUri);
 * ```
 */
export class PlatformHttpApi extends Construct {
  /** The HTTP API. */
  readonly api: apigwv2.HttpApi;
  /** Its `$default` stage. */
  readonly stage: apigwv2.HttpStage;
  /** The URL of identity's JWKS behind this API (what the authorizer verifies tokens with). */
  readonly jwksUri: string;

  constructor(scope: Construct, id: string, props: PlatformHttpApiProps) {
    super(scope, id);
    const { plan } = props;
    const placement = new Placement(plan, this);
    const http = plan.platform.httpApi;

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: http.name,
      description:
        'Quanta public HTTP API: one base path per quantum, Lambda authorizer on non-public routes',
      createDefaultStage: false,
      ...(http.cors === undefined ? {} : { corsPreflight: corsPreflightOf(http.cors) }),
    });
    const accessLogs = apiAccessLogs(this, http.name, plan.production);
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 1000, burstLimit: props.throttleBurstLimit ?? 2000 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userId: '$context.authorizer.userId',
          }),
        ),
      },
    });

    const authorizer = new HttpLambdaAuthorizer('Authorizer', props.authorizer.function, {
      authorizerName: `${plan.prefix}-authorizer`,
      identitySource: ['$request.header.Authorization'],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(http.authorizerCacheTtlSeconds),
    });

    // One integration per quantum, by ARN (the quantum may live in another account), except the
    // platform's own `api`, which is in this stack.
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (quantum: string): HttpLambdaIntegration => {
      let integration = integrations.get(quantum);
      if (integration === undefined) {
        const name = pascalCase(quantum);
        const handler =
          quantum === plan.platform.quantum
            ? props.platformApi.function
            : lambda.Function.fromFunctionAttributes(this, `${name}ApiFunction`, {
                functionArn: placement.functionArn(quantum, 'api'),
                // The quantum's own stack grants API Gateway the permission (it may be in another account).
                skipPermissions: true,
              });
        integration = new HttpLambdaIntegration(`${name}Integration`, handler, {
          payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(quantum, integration);
      }
      return integration;
    };
    for (const route of http.routes) {
      const name = pascalCase(route.quantum);
      const integration = integrationOf(route.quantum);
      if (route.authorized) {
        // With CORS the plan names each method (a preflight must match no route): one route each.
        const kind = route.path.endsWith('/{proxy+}') ? 'ProxyRoute' : 'BaseRoute';
        const suffix = route.method === 'ANY' ? '' : pascalCase(route.method.toLowerCase());
        const method = route.method === 'ANY' ? apigwv2.HttpMethod.ANY : HTTP_METHODS[route.method];
        if (method === undefined)
          throw new SynthError(`Route '${route.routeKey}' of '${route.quantum}' has an unknown method`);
        new apigwv2.HttpRoute(this, `${name}${kind}${suffix}`, {
          httpApi: this.api,
          routeKey: apigwv2.HttpRouteKey.with(route.path, method),
          integration,
          authorizer,
        });
        continue;
      }
      const method = HTTP_METHODS[route.method];
      if (method === undefined)
        throw new SynthError(`Route '${route.routeKey}' of '${route.quantum}' has an unknown method`);
      const routeId = `${name}Public${route.method}${route.path
        .split('/')
        .map(pascalCase)
        .join('')
        .replace(/[^A-Za-z0-9]/g, '')}`;
      const publicRoute = new apigwv2.HttpRoute(this, routeId, {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.with(route.path, method),
        integration,
        authorizer: new apigwv2.HttpNoneAuthorizer(),
      });
      Validations.of(publicRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is declared access: 'public' in quanta/${route.quantum}/quantum.ts (a client calls it without a token); every other route of '${route.quantum}' goes through the Lambda authorizer.`,
      });
    }

    this.jwksUri = `${this.api.apiEndpoint}${http.jwksPath ?? ''}`;

    new ssm.StringParameter(this, 'UrlParameter', {
      parameterName: http.urlParameter,
      stringValue: this.api.apiEndpoint,
      description: 'Base URL of the Quanta public HTTP API',
    });
    // RAM shares only advanced-tier parameters.
    const shared = http.shareWithAccounts.length > 0;
    const idParameter = new ssm.StringParameter(this, 'IdParameter', {
      parameterName: http.idParameter,
      stringValue: this.api.apiId,
      tier: shared ? ssm.ParameterTier.ADVANCED : undefined,
      description:
        'Id of the Quanta public HTTP API: the quanta behind it let only this API invoke their api function',
    });
    if (shared) {
      new ram.CfnResourceShare(this, 'IdShare', {
        name: `${http.name}-id`,
        allowExternalPrincipals: true,
        principals: [...http.shareWithAccounts],
        resourceArns: [idParameter.parameterArn],
      });
    }
  }
}
