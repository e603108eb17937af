import { FACADE_STAGE, type FacadePlan, type QuantumPlan } from '@quanta/runtime/manifest';
import { Fn, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, type IConstruct } from 'constructs';
import { apiAccessLogs } from './ApiGatewayAccountLogging';
import { SynthError } from './errors';
import { type Placement, sharedParameterArn } from './Placement';
import type { QuantumFunction } from './QuantumFunction';

/** Properties of a {@link FacadeApi}. */
export interface FacadeApiProps {
  /** The facade, as planned (operations with their registered callers, URL parameter, sharing). */
  readonly facade: FacadePlan;
  /** The quantum whose facade this is. */
  readonly quantum: string;
  /** Production retains the access logs. @default false */
  readonly production?: boolean;
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
 * callers' accounts conditioned on `aws:PrincipalArn` being one of the execution roles the plan lets
 * invoke it (`ArnEquals`, exact role ARNs: a pattern would admit any role someone names to match it),
 * and an explicit Deny for every other principal. The explicit Deny matters in the same account,
 * where an identity policy alone would otherwise suffice.
 * Its base URL (no trailing slash; operations are at `${url}/ops/${name}`) is written to SSM under
 * the plan's `urlParameter`; when callers live in other accounts the parameter is advanced-tier and
 * shared with those accounts through AWS RAM (see {@link FacadeUrls}).
 *
 * @example
 * ```ts
 * new FacadeApi(this, 'Facade', { facade: catalog.facade, quantum: 'catalog', placement, handler: facadeFunction });
 * ```
 */
export class FacadeApi extends Construct {
  /** The REST API. */
  readonly api: apigw.RestApi;
  /** Base URL of the stage, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: FacadeApiProps) {
    super(scope, id);
    const { facade, placement } = props;
    const production = props.production ?? false;
    const stageName = facade.stage;
    const operations = facade.operations;

    const accessLogs = apiAccessLogs(this, facade.apiName, production);

    const policy = new iam.PolicyDocument();
    for (const operation of operations) {
      const resource = `execute-api:/${stageName}/POST/ops/${operation.name}`;
      const roles = operation.callerRoles.map((r) => placement.roleArn(r));
      if (roles.length > 0) {
        const accounts = [...new Set(operation.callerRoles.map((r) => placement.accountOf(r.quantum)))];
        policy.addStatements(
          new iam.PolicyStatement({
            sid: `Allow${operation.name}Callers`,
            effect: iam.Effect.ALLOW,
            principals: accounts.map((a) => new iam.AccountPrincipal(a)),
            actions: ['execute-api:Invoke'],
            resources: [resource],
            conditions: { ArnEquals: { 'aws:PrincipalArn': roles } },
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
          conditions: roles.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': roles } } : undefined,
        }),
      );
    }

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: facade.apiName,
      description: `Facade of ${props.quantum}: ${operations.map((o) => o.name).join(', ')} (IAM, registered callers only)`,
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
    // Callers in other accounts read the parameter by ARN through AWS RAM, which shares only
    // advanced-tier parameters; same-account callers resolve it by name.
    const shared = facade.shareWithAccounts.length > 0;
    const parameter = new ssm.StringParameter(this, 'UrlParameter', {
      parameterName: facade.urlParameter,
      stringValue: this.url,
      tier: shared ? ssm.ParameterTier.ADVANCED : undefined,
      description: `Base URL of the ${props.quantum} facade; operations are POST {url}/ops/{name}, SigV4-signed.`,
    });
    if (shared) {
      new ram.CfnResourceShare(this, 'UrlShare', {
        name: `${facade.apiName}-url`,
        allowExternalPrincipals: true,
        principals: [...facade.shareWithAccounts],
        resourceArns: [parameter.parameterArn],
      });
    }

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

/**
 * Where a caller's functions find the facades they call, resolved at deploy time: the target's URL
 * parameter by name when the target is in the caller's account and region, otherwise the parameter
 * the target shares through AWS RAM, read by ARN (CloudFormation reads shared parameters only as
 * template parameters, which `fromStringParameterArn` creates). The grant is scoped to the API id
 * taken from that URL and to the operations that admit the caller.
 *
 * @example
 * ```ts
 * const urls = new FacadeUrls(this, ordersPlan, placement);
 * fn.addEnvironment('FACADE_URL_CATALOG', urls.urlOf('catalog'));
 * ```
 */
export class FacadeUrls {
  readonly #scope: IConstruct;
  readonly #quantum: QuantumPlan;
  readonly #placement: Placement;
  readonly #urls = new Map<string, string>();

  constructor(scope: IConstruct, quantum: QuantumPlan, placement: Placement) {
    this.#scope = scope;
    this.#quantum = quantum;
    this.#placement = placement;
  }

  /** Base URL of `target`'s facade stage. */
  urlOf(target: string): string {
    const known = this.#urls.get(target);
    if (known !== undefined) return known;
    const call = this.#quantum.calls.find((c) => c.target === target);
    if (call === undefined) {
      throw new SynthError(`Quantum '${this.#quantum.name}' does not call the facade of '${target}'`);
    }
    const id = `${target.charAt(0).toUpperCase()}${target.slice(1)}FacadeUrl`;
    const url =
      call.shared === undefined
        ? ssm.StringParameter.valueForStringParameter(this.#scope as Construct, call.urlParameter)
        : ssm.StringParameter.fromStringParameterArn(
            this.#scope as Construct,
            id,
            sharedParameterArn(call.shared, call.urlParameter),
          ).stringValue;
    this.#urls.set(target, url);
    return url;
  }

  /** `execute-api` ARNs of `operations` on `target`'s facade API (the API id read from its URL). */
  operationArns(target: string, operations: readonly string[]): string[] {
    // https://{apiId}.execute-api.{region}.{suffix}/{stage}: the API id scopes the grant to that API.
    const url = this.urlOf(target);
    const apiId = Fn.select(0, Fn.split('.', Fn.select(2, Fn.split('/', url))));
    return operations.map((op) =>
      this.#placement.executeApiArn(target, `${apiId}/${FACADE_STAGE}/POST/ops/${op}`),
    );
  }
}
