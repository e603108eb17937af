import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, PLATFORM_ACCOUNT } from './quantaTestApp';

const WEB_ORIGIN = 'https://d111111abcdef8.cloudfront.net';
const { template } = buildTestApp({
  quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) },
  'quanta:webOrigin': WEB_ORIGIN,
});
const web = template('web');

/** The logical id of the only resource of `type` whose properties match `props`. */
function logicalIdOf(type: string, props: Record<string, unknown> = {}): string {
  const found = Object.keys(web.findResources(type, { Properties: Match.objectLike(props) }));
  expect(found, `${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as string;
}

const siteBucket = logicalIdOf('AWS::S3::Bucket', {
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
});
const distribution = logicalIdOf('AWS::CloudFront::Distribution');

describe('the Web stack', () => {
  it('keeps the site bucket private: public access blocked, encrypted, ACLs off, logged', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { LogFilePrefix: 's3/' },
    });
  });

  it('lets only this distribution read the site, through origin access control, and only over TLS', () => {
    const policies = web.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: siteBucket } },
    });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
          .PolicyDocument.Statement,
    );

    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: {
        StringEquals: {
          'AWS:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudfront::',
                { Ref: 'AWS::AccountId' },
                ':distribution/',
                { Ref: distribution },
              ],
            ],
          },
        },
      },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('reads the bucket through an origin access control that signs every request, not a legacy OAI', () => {
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    web.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: [
          Match.objectLike({
            OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] },
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      },
    });
  });

  it('sends the security headers: a CSP naming the platform APIs from SSM, HSTS, nosniff, DENY, a referrer policy', () => {
    const policies = web.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const config = (
      Object.values(policies)[0] as {
        Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, unknown> } };
      }
    ).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(config.ContentSecurityPolicy);

    expect(config).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
    expect(csp).toContain("default-src 'none'; script-src 'self'; style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(
      /connect-src 'self' ",\{"Ref":"SsmParameterValuequantaplatformhttpapiurl[^"]*"\}," ",\{"Ref":"SsmParameterValuequantaplatformwebsocketurl/,
    );
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: Match.anyValue() }),
      }),
    });
  });

  it('answers a path that is no file with /index.html and 200 (the SPA fallback)', () => {
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 10 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 10 },
        ],
      }),
    });
  });

  it("writes config.json at deploy time from the platform's SSM parameters, and imports nothing", () => {
    const parameters = web.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const ssm = Object.values(parameters).filter(
      (p) => p.Type === 'AWS::SSM::Parameter::Value<String>' && !p.Default.startsWith('/cdk-bootstrap/'),
    );
    const deployments = JSON.stringify(web.findResources('Custom::CDKBucketDeployment'));

    expect(ssm.map((p) => p.Default).sort()).toEqual([
      '/quanta/platform/http-api-url',
      '/quanta/platform/websocket-url',
    ]);
    expect(deployments).toContain('config.json');
    expect(deployments).toContain('SsmParameterValuequantaplatformhttpapiurl');
    expect(JSON.stringify(web.toJSON())).not.toContain('Fn::ImportValue');
    web.hasResourceProperties('AWS::SSM::Parameter', { Name: '/quanta/web/url' });
    web.hasOutput('WebUrl', {});
  });

  it("adds the registry's quanta:webOrigin to the HTTP API's CORS origins, and refuses one that is not an origin", () => {
    template('platform').hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: Match.arrayWith([WEB_ORIGIN]) }),
    });
    expect(() =>
      buildTestApp({
        quanta: { platform: at(PLATFORM_ACCOUNT) },
        'quanta:webOrigin': `${WEB_ORIGIN}/index.html`,
      }),
    ).toThrow(/quanta:webOrigin' must be the web client's origin/);
  });
});
