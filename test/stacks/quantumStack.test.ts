import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, PLATFORM_ACCOUNT, REGION } from './quantaTestApp';

const partitionJoin = (tail: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, tail]] });

describe('QuantumStack for identity in the platform’s account', () => {
  const { template } = buildTestApp({
    quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) },
  });
  const identity = template('identity');

  it('creates its table on demand with PITR, the TTL attribute and a NEW_IMAGE stream for the outbox', () => {
    identity.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'quanta-identity',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      DeletionProtectionEnabled: false,
    });
  });

  it('runs every function on Node.js 24, arm64, with active tracing, JSON logs and the standard environment', () => {
    const functions = identity.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(3);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
        Environment: {
          Variables: expect.objectContaining({
            QUANTUM: 'identity',
            EVENT_SOURCE: 'quanta.identity',
            AUTH_ISSUER: 'https://identity.quanta.local',
          }),
        },
      });
      // Source maps ship, but Node.js reading them at every cold start is opt-in (D59).
      expect(fn.Properties.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
    }
    identity.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-identity-api',
      MemorySize: 1024,
      Timeout: 10,
      Handler: 'index.handler',
    });
  });

  it('gives each function a log group with retention', () => {
    for (const name of ['api', 'facade', 'outbox-relay']) {
      identity.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/quanta-identity-${name}`,
        RetentionInDays: 30,
      });
    }
  });

  it('lets only the platform HTTP API, by the id its SSM parameter holds, invoke the api function, only on identity’s base path', () => {
    for (const path of ['/identity', '/identity/*']) {
      identity.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesApiFunctionHandler'), 'Arn'] },
        SourceArn: partitionJoin(
          `:execute-api:${REGION}:${PLATFORM_ACCOUNT}:{{resolve:ssm:/quanta/platform/http-api-id}}/*/*${path}`,
        ),
      });
    }
    // A dynamic reference, not a template parameter: nothing to pass and no export to couple to.
    expect(identity.toJSON().Parameters).not.toHaveProperty('PlatformHttpApiIdParameter');
  });

  it('relays only inserted OUTBOX# items from the stream, in bisected batches with retries and a DLQ', () => {
    identity.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ResourcesOutboxRelayFunctionHandler') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesOutboxRelayDeadLetterQueue'), 'Arn'],
          },
        },
      },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { pk: { S: [{ prefix: 'OUTBOX#' }] } } },
            }),
          },
        ],
      },
    });
    identity.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'quanta-identity-outbox-relay-dlq' });
  });

  it('lets only the outbox relay put events, on the platform bus, with its own source', () => {
    identity.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ResourcesOutboxRelayFunctionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'events:PutEvents',
            Effect: 'Allow',
            Resource: partitionJoin(`:events:${REGION}:${PLATFORM_ACCOUNT}:event-bus/quanta-bus`),
            Condition: { StringEquals: { 'events:source': 'quanta.identity' } },
          },
        ]),
      },
    });
    const putters = Object.values(identity.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('events:PutEvents'),
    );
    expect(putters).toHaveLength(1);
  });

  it('holds an ECC P-256 signing key with its alias, used for signing by the api function only', () => {
    identity.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    identity.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/quanta-identity-signing' });
    identity.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-identity-api',
      Environment: {
        Variables: Match.objectLike({
          SIGNING_KEY_ARNS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesSigningKey'), 'Arn'] },
        }),
      },
    });
    const signers = Object.values(identity.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('kms:Sign'),
    );
    expect(signers).toHaveLength(1);
    expect(JSON.stringify(signers[0])).toContain('ResourcesApiFunctionRole');
  });

  it('serves its facade as a REST API with AWS_IAM on every method and POST /ops/GetUser', () => {
    identity.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'quanta-identity-facade',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    identity.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'GetUser' });
    const methods = Object.values(identity.findResources('AWS::ApiGateway::Method'));
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'AWS_IAM', HttpMethod: 'POST' });
    }
    identity.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', HttpMethod: '*', ResourcePath: '/*' })],
    });
  });

  it('denies every caller of its facade while no registered quantum may call it', () => {
    identity.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [
          {
            Sid: 'DenyGetUserOthers',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/v1/POST/ops/GetUser',
          },
        ],
      },
    });
  });

  it('writes its facade URL to SSM', () => {
    identity.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/quanta/identity/facade-url',
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: Match.stringLikeRegexp('^ResourcesFacadeApi') },
            `.execute-api.${REGION}.`,
            { Ref: 'AWS::URLSuffix' },
            '/v1',
          ],
        ],
      },
    });
  });

  it('alarms on errors, throttles and p99 duration of each function and on its DLQ, with a dashboard', () => {
    for (const name of ['api', 'facade', 'outbox-relay']) {
      for (const kind of ['errors', 'throttles', 'duration-p99']) {
        identity.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `quanta-identity-${name}-${kind}`,
        });
      }
    }
    identity.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'quanta-identity-OutboxRelay-dlq-depth',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    identity.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'quanta-identity' });
  });

  it('has no bus of its own and no rules, since it subscribes to nothing', () => {
    identity.resourceCountIs('AWS::Events::EventBus', 0);
    identity.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('leaves the account-wide API Gateway logging role to the platform in its account and region', () => {
    identity.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

describe('QuantumStack settings', () => {
  it('publishes the previous signing key second in SIGNING_KEY_ARNS and lets the api read its public key', () => {
    const previous = 'arn:aws:kms:eu-west-1:111111111111:key/0b2c4f3e-1111-2222-3333-444455556666';
    const { template } = buildTestApp({
      quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) },
      'quanta:previousSigningKeyArn': previous,
    });
    const identity = template('identity');

    identity.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-identity-api',
      Environment: {
        Variables: Match.objectLike({
          SIGNING_KEY_ARNS: {
            'Fn::Join': [
              ',',
              [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesSigningKey'), 'Arn'] }, previous],
            ],
          },
        }),
      },
    });
    identity.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{ Action: 'kms:GetPublicKey', Effect: 'Allow', Resource: previous }]),
      },
    });
  });

  it('rejects a previous signing key that is not a KMS key ARN, naming the value', () => {
    expect(() =>
      buildTestApp({
        quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) },
        'quanta:previousSigningKeyArn': 'alias/old',
      }),
    ).toThrow(/must be a KMS key ARN.*got 'alias\/old'/);
  });

  it('protects and retains the table in production', () => {
    const { template } = buildTestApp({
      quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) },
      'quanta:production': true,
    });

    template('identity').hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    template('identity').hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });
});

describe('QuantumStack with a data encryption key', () => {
  const registry = {
    platform: at(PLATFORM_ACCOUNT),
    orders: at(PLATFORM_ACCOUNT),
    catalog: at(PLATFORM_ACCOUNT),
  };
  const { template } = buildTestApp({ quanta: registry });
  const orders = template('orders');
  const keyId = () => {
    const [id] = Object.entries(orders.findResources('AWS::KMS::Key')).find(([, key]) =>
      String(key.Properties.Description).startsWith('Data encryption key'),
    ) ?? [undefined];
    if (id === undefined) throw new Error('no data key');
    return id;
  };

  it('holds a symmetric KMS key with rotation and the alias alias/<prefix>-<quantum>-data', () => {
    orders.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        Description: 'Data encryption key of orders',
        EnableKeyRotation: true,
        PendingWindowInDays: 7,
      }),
      DeletionPolicy: 'Delete',
    });
    orders.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/quanta-orders-data',
      TargetKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] },
    });
  });

  it('lets every function of the quantum encrypt, decrypt and generate data keys with it, and tells it the key ARN', () => {
    const functions = Object.values(orders.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(1);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.ENCRYPTION_KEY_ARN).toEqual({
        'Fn::GetAtt': [keyId(), 'Arn'],
      });
    }
    const grants = Object.values(orders.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes(`"${keyId()}"`),
    );
    expect(grants).toHaveLength(functions.length);
    for (const grant of grants) {
      expect(grant.Properties.PolicyDocument.Statement).toContainEqual({
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [keyId(), 'Arn'] },
      });
    }
  });

  it('gives no key to a quantum that does not ask for one', () => {
    template('catalog').resourceCountIs('AWS::KMS::Key', 0);
  });

  it('retains the data key in production', () => {
    const production = buildTestApp({ quanta: registry, 'quanta:production': true });

    production.template('orders').hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ Description: 'Data encryption key of orders', PendingWindowInDays: 30 }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('QuantumStack environment overrides', () => {
  it('applies quanta:environment last, over the standard variables and every binding, to that quantum only', () => {
    const { template } = buildTestApp({
      quanta: { platform: at(PLATFORM_ACCOUNT), orders: at(PLATFORM_ACCOUNT), catalog: at(PLATFORM_ACCOUNT) },
      'quanta:environment': {
        orders: {
          ORDER_DEADLINE_SECONDS: '30',
          TABLE_NAME: 'overridden',
          REQUEST_QUEUE_URL_CATALOG: 'https://q',
        },
      },
    });

    for (const fn of Object.values(template('orders').findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        ORDER_DEADLINE_SECONDS: '30',
        TABLE_NAME: 'overridden',
        REQUEST_QUEUE_URL_CATALOG: 'https://q',
      });
    }
    for (const fn of Object.values(template('catalog').findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.ORDER_DEADLINE_SECONDS).toBeUndefined();
    }
  });
});
