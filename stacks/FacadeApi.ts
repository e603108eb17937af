import { namesOf, type QuantumManifest, type Registry } from '@quanta/runtime/manifest';
import { Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { Placement } from './Placement';
import type { QuantumFunction } from './QuantumFunction';

/** Stage of every facade API: callers build operation ARNs and URLs from it. */
export const FACADE_STAGE = 'v1';

/** Properties of a {@link FacadeApi}. */
export interface FacadeApiProps {
  /** The quantum whose facade this is. */
  readonly manifest: QuantumManifest;
  /** The registry: only registered callers are admitted. */
  readonly registry: Registry;
  /** Where the callers live. */
  readonly placement: Placement;
  /** The quantum's `facade` function. */
  readonly handler: QuantumFunction;
}

/**
 * A quantum's facade: a regional REST API (REST because HTTP APIs have no resource policies for
 * cross-account IAM) with `AWS_IAM` on every method and `POST /ops/{name}` per facade operation, all
 * integrated with the `facade` function.
 *
 * Its resource policy admits, per operation, only the operation's registered callers: an Allow for the
 * callers' accounts conditioned on `aws:PrincipalArn` matching roles of the callers' stacks
 * (`arn:aws:iam::<acct>:role/<CallerStackId>-*`), and an explicit Deny for every other principal. The
 * explicit Deny matters in the same account, where an identity policy alone would otherwise suffice.
 * Its base URL (no trailing slash; operations are at `${url}/ops/${name}`) is written to SSM under
 * `namesOf(quantum).facadeUrlParameter`.
 *
 * @example
 * ```ts
 * new FacadeApi(this, 'Facade', { manifest, registry, placement, handler: facadeFunction });
 * ```
 */
export class FacadeApi extends Construct {
  /** The REST API. */
  readonly api: apigw.RestApi;
  /** Base URL of the stage, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: FacadeApiProps) {
    super(scope, id);
    const { manifest, registry, placement } = props;
    const names = namesOf(manifest.name, registry.prefix);
    const stageName = FACADE_STAGE;
    const operations = manifest.facade ?? [];

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${registry.prefix}-${manifest.name}-facade`,
      retention: registry.production ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_MONTH,
      removalPolicy: registry.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const policy = new iam.PolicyDocument();
    for (const operation of operations) {
      const resource = `execute-api:/${stageName}/POST/ops/${operation.name}`;
      const callers = operation.callers.filter((c) => c in registry.quanta);
      const patterns = callers.map((c) => placement.rolePatternOf(c));
      if (callers.length > 0) {
        const accounts = [...new Set(callers.map((c) => placement.accountOf(c)))];
        policy.addStatements(
          new iam.PolicyStatement({
            sid: `Allow${operation.name}Callers`,
            effect: iam.Effect.ALLOW,
            principals: accounts.map((a) => new iam.AccountPrincipal(a)),
            actions: ['execute-api:Invoke'],
            resources: [resource],
            conditions: { ArnLike: { 'aws:PrincipalArn': patterns } },
          }),
        );
      }
      policy.addStatements(
        new iam.PolicyStatement({
          sid: `Deny${operation.name}Others`,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: [resource],
          conditions: patterns.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': patterns } } : undefined,
        }),
      );
    }

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `${registry.prefix}-${manifest.name}-facade`,
      description: `Facade of ${manifest.name}: ${operations.map((o) => o.name).join(', ')} (IAM, registered callers only)`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      policy,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: 500,
        throttlingBurstLimit: 1000,
      },
    });
    const model = this.api.addModel('OperationRequest', {
      contentType: 'application/json',
      modelName: 'OperationRequest',
      description:
        'A facade operation takes one JSON object; its fields are validated by the operation (zod).',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, type: apigw.JsonSchemaType.OBJECT },
    });
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integration = new apigw.LambdaIntegration(props.handler.function, { allowTestInvoke: false });
    const ops = this.api.root.addResource('ops');
    for (const operation of operations) {
      ops.addResource(operation.name).addMethod('POST', integration, {
        requestValidator: validator,
        requestModels: { 'application/json': model },
      });
    }

    const stack = Stack.of(this);
    this.url = Fn.join('', [
      'https://',
      this.api.restApiId,
      '.execute-api.',
      stack.region,
      '.',
      stack.urlSuffix,
      `/${stageName}`,
    ]);
    new ssm.StringParameter(this, 'UrlParameter', {
      parameterName: names.facadeUrlParameter,
      stringValue: this.url,
      description: `Base URL of the ${manifest.name} facade; operations are POST {url}/ops/{name}, SigV4-signed.`,
    });

    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Facade callers are other quanta’s Lambda roles authenticated with SigV4 (AWS_IAM) and named in the resource policy; Cognito user pools authenticate end users, who never reach a facade.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'The facade accepts only SigV4-signed requests from the registered callers’ roles (IAM auth plus a resource policy with an explicit Deny); there is no anonymous traffic for a WAF to filter, and stage throttling bounds abuse.',
      },
    );
  }
}
