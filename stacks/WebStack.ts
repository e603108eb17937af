import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { QuantaPlan } from '@quanta/runtime/manifest';
import {
  CfnOutput,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  contentSecurityPolicy,
  FRAME_OPTIONS,
  REFERRER_POLICY,
  STRICT_TRANSPORT_SECURITY,
} from '../web/securityHeaders';
import { SynthError } from './errors';

/** Props of {@link WebStack}. */
export interface WebStackProps extends StackProps {
  /** The plan: the platform's SSM parameter names (API and WebSocket URLs), the prefix, production. */
  readonly plan: QuantaPlan;
  /**
   * The built single-page app (index.html, assets/). @default {@link WebStack.siteFromSources}: the
   * `web/` workspace, built by Vite at synth (asset bundling)
   */
  readonly site?: s3deploy.ISource;
}

/** Where the web workspace is: its sources are the asset's, `build.ts` its build. */
const WEB_ROOT = path.resolve(import.meta.dirname, '..', 'web');
const REPOSITORY_ROOT = path.resolve(WEB_ROOT, '..');
/** Hashed file names: cached for a year. */
const IMMUTABLE = s3deploy.CacheControl.fromString('public, max-age=31536000, immutable');
/** `index.html` and `config.json`: revalidated on every load, so a deployment shows at once. */
const REVALIDATE = s3deploy.CacheControl.fromString('no-cache');

/**
 * The web client on AWS: a private, encrypted S3 bucket (all public access blocked, TLS only) read
 * by CloudFront through origin access control, a response headers policy with the security headers
 * of `web/securityHeaders.ts` (the CSP names the platform's API and WebSocket origins), the SPA
 * fallback (403 and 404 answer `/index.html` with 200), and `config.json` written at deploy time from
 * the platform's SSM parameters (no export, no template parameter to copy), so `cdk deploy Web`
 * needs only `Platform` deployed first. Its URL is published in SSM (`/<prefix>/web/url`) and as the
 * `WebUrl` output; give it to the HTTP API's CORS through the registry (`quanta:webOrigin`) and
 * redeploy `Platform` (decision D54).
 *
 * @example
 * ```ts
 * new WebStack(app, 'Web', { env: { account, region }, plan });
 * ```
 */
export class WebStack extends Stack {
  /** The site's files. */
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The security headers every response carries. */
  readonly headers: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, {
      ...props,
      description:
        props.description ?? 'Quanta web client: S3 (private) behind CloudFront, config.json from SSM',
      terminationProtection: props.terminationProtection ?? props.plan.production,
    });
    const { plan } = props;
    const apiUrl = ssm.StringParameter.valueForStringParameter(this, plan.platform.httpApi.urlParameter);
    const webSocketUrl = ssm.StringParameter.valueForStringParameter(
      this,
      plan.platform.webSocketApi.urlParameter,
    );

    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL grant, which needs ACLs on this bucket.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(plan.production ? 365 : 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the site bucket and the distribution; logging the log bucket would only move the question to another bucket.',
    });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      versioned: plan.production,
      // Retained: deleting the stack must not fail on a non-empty bucket, nor silently drop the site.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Quanta web client: CSP (the app and the platform APIs only), HSTS, nosniff, DENY, referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({ apiUrl, webSocketUrl }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(STRICT_TRANSPORT_SECURITY.maxAgeSeconds),
          includeSubdomains: STRICT_TRANSPORT_SECURITY.includeSubdomains,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: frameOptionOf(FRAME_OPTIONS), override: true },
        referrerPolicy: { referrerPolicy: referrerPolicyOf(REFERRER_POLICY), override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${plan.prefix} web client`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
      },
      defaultRootObject: 'index.html',
      // The SPA fallback: a path that is no file (S3 says 403 to OAC without ListBucket, 404 with it)
      // is a page of the app, so /orders loads directly.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The shop is open to every country; restricting geography is a business decision a deployment can add to this distribution.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only (GET/HEAD, no origin logic); the API it calls is protected by its own authorizer and throttling, and a WAF web ACL is a cost a deployment opts into.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the TLS policy; a custom domain with its ACM certificate gets TLSv1.2_2021 from minimumProtocolVersion.',
      },
    );

    const site = props.site ?? WebStack.siteFromSources();
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [site],
      include: ['assets/*'],
      exclude: ['*'],
      cacheControl: [IMMUTABLE],
      // Old hashed files stay, so a tab opened before a deployment can still load its chunks.
      prune: false,
      memoryLimit: 512,
    });
    const pages = new s3deploy.BucketDeployment(this, 'DeployPages', {
      destinationBucket: this.bucket,
      sources: [site, s3deploy.Source.jsonData('config.json', { apiUrl, webSocketUrl })],
      exclude: ['assets/*'],
      cacheControl: [REVALIDATE],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    // index.html names the new hashed files: they must be there before it is replaced.
    pages.node.addDependency(assets);
    acknowledgeBucketDeployment(this);

    const url = `https://${this.distribution.distributionDomainName}`;
    new ssm.StringParameter(this, 'UrlParameter', {
      parameterName: `/${plan.prefix}/web/url`,
      stringValue: url,
      description:
        "URL of the Quanta web client (its origin): add it to the HTTP API's CORS with quanta:webOrigin",
    });
    new CfnOutput(this, 'WebUrl', {
      value: url,
      description: 'The web client. Put it in cdk.json as quanta:webOrigin and deploy Platform (CORS)',
    });
  }

  /**
   * The `web/` workspace as a deployment source, built by Vite at synth (local bundling: `tsx
   * web/build.ts --out <asset dir>`, the same build as `npm run build -w web` and `npm start`). A stack
   * test that disables bundling (`aws:cdk:bundling-stacks: []`) gets the sources' fingerprint instead.
   */
  static siteFromSources(): s3deploy.ISource {
    return s3deploy.Source.asset(WEB_ROOT, {
      exclude: ['dist', 'node_modules', 'test'],
      bundling: {
        // Never pulled: local bundling always answers (it throws when the build fails).
        image: DockerImage.fromRegistry('node:24-slim'),
        local: {
          tryBundle(outputDir: string): boolean {
            const tsx = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx');
            const result = spawnSync(tsx, [path.join(WEB_ROOT, 'build.ts'), '--out', outputDir], {
              cwd: REPOSITORY_ROOT,
              stdio: ['ignore', 'inherit', 'inherit'],
            });
            if (result.status !== 0) {
              throw new SynthError(
                `The web client did not build for the Web stack (tsx web/build.ts exited ${result.status ?? result.signal}); run 'npm run build -w web' to see why`,
              );
            }
            return true;
          },
        },
      },
    });
  }
}

function frameOptionOf(value: typeof FRAME_OPTIONS): cloudfront.HeadersFrameOption {
  if (value !== 'DENY') throw new SynthError(`Unsupported frame option '${value}'`);
  return cloudfront.HeadersFrameOption.DENY;
}

function referrerPolicyOf(value: typeof REFERRER_POLICY): cloudfront.HeadersReferrerPolicy {
  if (value !== 'strict-origin-when-cross-origin')
    throw new SynthError(`Unsupported referrer policy '${value}'`);
  return cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN;
}

/**
 * The findings on the Lambda function CDK adds for `BucketDeployment` (one per stack, created by CDK,
 * not by us): its managed basic-execution policy, its wildcard object permissions on this stack's
 * bucket, and the runtime CDK pins for it.
 */
function acknowledgeBucketDeployment(stack: WebStack): void {
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler === undefined) throw new SynthError('BucketDeployment added no handler to the Web stack');
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const site = stack.resolve(stack.bucket.bucketArn) as { 'Fn::GetAtt': [string, string] };
  const wildcards = [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*`,
    `Resource::<${site['Fn::GetAtt'][0]}.Arn>/*`,
    'Resource::*',
  ];
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's BucketDeployment handler uses AWSLambdaBasicExecutionRole (its own CloudWatch log group only); the construct does not accept an inline replacement.",
    },
    ...wildcards.map((finding) => ({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason:
        "CDK's BucketDeployment handler copies the staged site (CDK's asset bucket) into this stack's own bucket, object keys unknown at synth, and invalidates the distribution (cloudfront:CreateInvalidation has no resource-level permission).",
    })),
    {
      id: 'AwsSolutions-L1',
      reason:
        "The BucketDeployment handler's runtime is chosen by aws-cdk-lib for the code it ships (a Python function with the AWS CLI layer); upgrading aws-cdk-lib upgrades it.",
    },
  );
}
