import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, IDENTITY_ACCOUNT, PLATFORM_ACCOUNT, REGION } from './quantaTestApp';

const sameAccount = { quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) } };

describe('PlatformStack with platform and identity in one account', () => {
  const { template } = buildTestApp(sameAccount);
  const platform = template('platform');

  it('routes ANY on each base path and its proxy through the Lambda authorizer', () => {
    for (const routeKey of [
      'ANY /identity',
      'ANY /identity/{proxy+}',
      'ANY /realtime',
      'ANY /realtime/{proxy+}',
    ]) {
      platform.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: Match.stringLikeRegexp('^HttpApiAuthorizer') },
      });
    }
  });

  it('adds every public route of identity explicitly and without an authorizer', () => {
    for (const routeKey of [
      'POST /identity/signup',
      'POST /identity/login',
      'POST /identity/refresh',
      'GET /identity/.well-known/jwks.json',
    ]) {
      platform.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
    }
  });

  it('does not expose authenticated routes as explicit routes', () => {
    const keys = Object.values(platform.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r.Properties as { RouteKey: string }).RouteKey,
    );
    expect(keys).not.toContain('POST /identity/logout');
    expect(keys).not.toContain('GET /identity/me');
    expect(keys).not.toContain('POST /realtime/tickets');
  });

  it('integrates identity by the ARN of its deterministically named api function', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            `:lambda:${REGION}:${PLATFORM_ACCOUNT}:function:quanta-identity-api`,
          ],
        ],
      },
    });
  });

  it('configures the authorizer with payload 2.0, simple responses, the Authorization header and a 60 s cache', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 60,
    });
  });

  it('points the authorizer at identity’s JWKS behind the platform API and lets it only read the platform table', () => {
    platform.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-platform-authorizer',
      Environment: {
        Variables: Match.objectLike({
          JWKS_URI: {
            'Fn::Join': [
              '',
              [
                { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] },
                '/identity/.well-known/jwks.json',
              ],
            ],
          },
        }),
      },
    });
    const policies = platform.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ResourcesAuthorizerFunctionRole') }] },
    });
    const actions = Object.values(policies).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => s.Action),
    );
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
  });

  it('auto-deploys a throttled $default stage with JSON access logs', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
  });

  it('publishes the HTTP API URL to SSM', () => {
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/quanta/platform/http-api-url',
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] },
    });
  });

  it('creates the bus with a 30-day archive of every quanta event and a catch-all log rule outside production', () => {
    platform.hasResourceProperties('AWS::Events::EventBus', { Name: 'quanta-bus' });
    platform.hasResourceProperties('AWS::Events::Archive', {
      RetentionDays: 30,
      EventPattern: { source: [{ prefix: 'quanta.' }] },
    });
    platform.hasResourceProperties('AWS::Events::Rule', {
      Name: 'quanta-bus-log-everything',
      Targets: [Match.objectLike({ Arn: Match.objectLike({}) })],
    });
    const logPolicies = Object.values(platform.findResources('AWS::Logs::ResourcePolicy'));
    expect(logPolicies).toHaveLength(1);
    // Scoped to the log rule (confused deputy), by an ARN built from its name.
    expect(JSON.stringify(logPolicies[0])).toContain('rule/quanta-bus/quanta-bus-log-everything');
  });

  it('admits each publisher to the bus only with its own source and only from its outbox relay’s role', () => {
    platform.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${PLATFORM_ACCOUNT}:root`]] },
        },
        Condition: {
          StringEquals: { 'events:source': 'quanta.identity' },
          ArnEquals: {
            'aws:PrincipalArn': [
              {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    `:iam::${PLATFORM_ACCOUNT}:role/quanta-identity-outbox-relay-${REGION}`,
                  ],
                ],
              },
            ],
          },
        },
      },
    });
    template('identity').hasResourceProperties('AWS::IAM::Role', {
      RoleName: `quanta-identity-outbox-relay-${REGION}`,
    });
    platform.resourceCountIs('AWS::Events::EventBusPolicy', 1);
  });

  it('creates no forwarding rule when every quantum is in the platform’s account and region', () => {
    const names = Object.values(platform.findResources('AWS::Events::Rule')).map(
      (r) => r.Properties.Name as string,
    );
    expect(names.filter((n) => n.startsWith('quanta-forward-'))).toEqual([]);
  });

  it('builds its own table, functions and SessionRevoked inbox from its manifest', () => {
    platform.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'quanta-platform',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: Match.absent(),
    });
    for (const name of ['authorizer', 'ws-authorizer', 'api', 'session-revoked']) {
      platform.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `quanta-platform-${name}` });
    }
    platform.hasResourceProperties('AWS::Events::Rule', {
      Name: 'quanta-platform-session-revoked',
      EventBusName: { Ref: Match.stringLikeRegexp('^EventBus') },
      EventPattern: { source: ['quanta.identity'], 'detail-type': ['SessionRevoked'] },
    });
    platform.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'quanta-platform-session-revoked',
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    platform.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ResourcesSessionRevokedFunctionHandler') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  it('creates the WebSocket API with its ticket authorizer and a stage, but no routes while chat is not registered', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    platform.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.ticket'],
      AuthorizerUri: Match.objectLike({
        'Fn::Join': [
          '',
          Match.arrayWith([
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesWsAuthorizerFunction'), 'Arn'] },
          ]),
        ],
      }),
    });
    platform.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'live', AutoDeploy: true });
    const routes = Object.values(platform.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r.Properties as { RouteKey: string }).RouteKey,
    );
    expect(routes.filter((k) => !k.includes('/'))).toEqual([]);
  });

  it('owns the account-wide API Gateway logging role of its account and region', () => {
    platform.resourceCountIs('AWS::ApiGateway::Account', 1);
  });
});

describe('PlatformStack settings', () => {
  it('takes the authorizer cache TTL from the registry', () => {
    const { template } = buildTestApp({ ...sameAccount, 'quanta:authorizerCacheTtlSeconds': 5 });

    template('platform').hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 5,
    });
  });

  it('drops the catch-all log rule, keeps 90 days of archive and retains the table in production', () => {
    const { template } = buildTestApp({ ...sameAccount, 'quanta:production': 'true' });
    const platform = template('platform');

    const names = Object.values(platform.findResources('AWS::Events::Rule')).map(
      (r) => r.Properties.Name as string,
    );
    expect(names).not.toContain('quanta-bus-log-everything');
    platform.resourceCountIs('AWS::Logs::ResourcePolicy', 0);
    platform.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
    platform.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('routes the WebSocket routes to chat’s ws function by ARN once chat is registered', () => {
    const { template } = buildTestApp({
      quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(IDENTITY_ACCOUNT), chat: at(IDENTITY_ACCOUNT) },
    });
    const platform = template('platform');

    for (const routeKey of ['$connect', '$disconnect', '$default', 'join', 'leave', 'send']) {
      platform.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: routeKey === '$connect' ? 'CUSTOM' : 'NONE',
      });
    }
    platform.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: Match.objectLike({
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(
              `:lambda:${REGION}:${IDENTITY_ACCOUNT}:function:quanta-chat-ws/invocations`,
            ),
          ]),
        ],
      }),
    });
    // Chat reads the WebSocket API's id from the parameter the platform shares with its account.
    template('chat').hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesWsFunctionHandler'), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            `:execute-api:${REGION}:${PLATFORM_ACCOUNT}:`,
            { Ref: 'PlatformWebSocketApiIdParameter' },
            '/*/$connect',
          ],
        ],
      },
    });
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/quanta/platform/websocket-api-id',
      Value: { Ref: Match.stringLikeRegexp('^WebSocketApi') },
      Tier: 'Advanced',
    });
  });
});
