import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

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
