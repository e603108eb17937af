import { RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Placement } from './Placement';

/**
 * The account-and-region-wide API Gateway setting that lets REST and WebSocket APIs write logs
 * (access and execution logs) to CloudWatch: a role for `apigateway.amazonaws.com` and the
 * `AWS::ApiGateway::Account` resource pointing at it. Without it, deploying a stage with logging
 * fails with "CloudWatch Logs role ARN must be set in account settings".
 *
 * It is a singleton per account and region, so exactly one stack owns it (`Placement.apiGatewayAccountOwnerFor`):
 * the platform in its own account/region, otherwise the first registered quantum there. Both resources
 * are retained on delete, because every other API in the account/region relies on the setting.
 *
 * @example
 * ```ts
 * const logging = new ApiGatewayAccountLogging(this, 'ApiGatewayAccount');
 * facade.api.deploymentStage.node.addDependency(logging);
 * ```
 */
export class ApiGatewayAccountLogging extends Construct {
  /** The role API Gateway assumes to write logs. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Account-wide role API Gateway uses to write REST/WebSocket API logs to CloudWatch Logs',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'This is the account-wide API Gateway logging role, used by every REST/WebSocket API in the account and region (not only Quanta’s), so it cannot be scoped to our log groups; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly this role.',
    });
  }
}

/**
 * The start every quantum's stack shares (the platform's included): its `quanta:quantum` tag, and the
 * account-wide API Gateway logging role when this quantum owns it in its account and region
 * (`Placement.apiGatewayAccountOwnerFor`) and the app manages it.
 *
 * @example
 * ```ts
 * const accountLogging = ownAccountLogging(this, quantum.name, new Placement(plan, this), true);
 * ```
 */
export function ownAccountLogging(
  stack: Construct,
  quantum: string,
  placement: Placement,
  manage: boolean | undefined,
): ApiGatewayAccountLogging | undefined {
  Tags.of(stack).add('quanta:quantum', quantum);
  return (manage ?? true) && placement.apiGatewayAccountOwnerFor(quantum) === quantum
    ? new ApiGatewayAccountLogging(stack, 'ApiGatewayAccount')
    : undefined;
}

/**
 * The access-log group of one API (`/aws/apigateway/<apiName>`): a month of retention, three and
 * retained on delete in production.
 *
 * @example
 * ```ts
 * const accessLogs = apiAccessLogs(this, 'quanta-http-api', plan.production);
 * ```
 */
export function apiAccessLogs(scope: Construct, apiName: string, production: boolean): logs.LogGroup {
  return new logs.LogGroup(scope, 'AccessLogs', {
    logGroupName: `/aws/apigateway/${apiName}`,
    retention: production ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_MONTH,
    removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
