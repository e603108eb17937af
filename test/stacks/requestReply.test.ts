import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { scheduleInputOf } from '../../stacks/scheduleInputOf';
import {
  at,
  buildTestApp,
  ORDERS_ROLE_STEMS,
  PLATFORM_ACCOUNT,
  REGION,
  roleArnOf,
  testManifests,
} from './quantaTestApp';

const partitionJoin = (tail: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, tail]] });
const account = at(PLATFORM_ACCOUNT);
/** Every function of orders may send requests and call catalog's facade: the policies name each role. */
const ordersRoles = ORDERS_ROLE_STEMS.map((stem) => roleArnOf(PLATFORM_ACCOUNT, stem));

describe('Request/reply, facade calls, subscriptions and schedules with every quantum in one account', () => {
  const { template } = buildTestApp({
    quanta: { platform: account, identity: account, orders: account, catalog: account },
  });
  const platform = template('platform');
  const orders = template('orders');
  const catalog = template('catalog');

  it('hosts a request queue for catalog and a reply queue for orders, each with a DLQ, SSE and a visibility timeout six times its consumer’s timeout', () => {
    platform.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'quanta-catalog-requests',
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 90,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    platform.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'quanta-catalog-requests-dlq' });
    platform.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'quanta-orders-replies',
      VisibilityTimeout: 120,
    });
    platform.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'quanta-orders-replies-dlq' });
  });

  it('admits exactly orders’ roles to send to catalog’s request queue, denies everyone else, and lets only catalog’s handler consume', () => {
    platform.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('^RequestReplyQueuesCatalogRequests') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowRegisteredSenders',
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { AWS: partitionJoin(`:iam::${PLATFORM_ACCOUNT}:root`) },
            Condition: { ArnEquals: { 'aws:PrincipalArn': ordersRoles } },
          }),
          Match.objectLike({
            Sid: 'DenyOtherSenders',
            Effect: 'Deny',
            Action: 'sqs:SendMessage',
            Principal: { AWS: '*' },
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': ordersRoles } },
          }),
          Match.objectLike({
            Sid: 'AllowConsumer',
            Effect: 'Allow',
            Action: Match.arrayWith(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': roleArnOf(PLATFORM_ACCOUNT, 'quanta-catalog-requests') },
            },
          }),
        ]),
      },
    });
  });

  it('admits only catalog’s request handler to send replies to orders’ reply queue', () => {
    platform.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('^RequestReplyQueuesOrdersReplies') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowRegisteredSenders',
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': [roleArnOf(PLATFORM_ACCOUNT, 'quanta-catalog-requests')] },
            },
          }),
          Match.objectLike({
            Sid: 'DenyOtherSenders',
            Effect: 'Deny',
            Condition: {
              ArnNotEquals: { 'aws:PrincipalArn': [roleArnOf(PLATFORM_ACCOUNT, 'quanta-catalog-requests')] },
            },
          }),
        ]),
      },
    });
  });

  it('consumes catalog’s request queue by ARN with partial batch failures and lets the handler reply to orders', () => {
    catalog.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ResourcesRequestsFunctionHandler') },
      EventSourceArn: partitionJoin(`:sqs:${REGION}:${PLATFORM_ACCOUNT}:quanta-catalog-requests`),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    catalog.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ResourcesRequestsFunctionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Resource: partitionJoin(`:sqs:${REGION}:${PLATFORM_ACCOUNT}:quanta-orders-replies`),
          },
        ]),
      },
    });
  });

  it('tells catalog’s request handler, and only it, the reply queue URL of each sender in REPLY_QUEUE_URL_<SENDER>', () => {
    catalog.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-catalog-requests',
      Environment: {
        Variables: Match.objectLike({
          REPLY_QUEUE_URL_ORDERS: {
            'Fn::Join': [
              '',
              [
                `https://sqs.${REGION}.`,
                { Ref: 'AWS::URLSuffix' },
                `/${PLATFORM_ACCOUNT}/quanta-orders-replies`,
              ],
            ],
          },
        }),
      },
    });
    const others = Object.values(catalog.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.FunctionName !== 'quanta-catalog-requests',
    );
    expect(others.length).toBeGreaterThan(0);
    for (const fn of others)
      expect(fn.Properties.Environment.Variables.REPLY_QUEUE_URL_ORDERS).toBeUndefined();
  });

  it('gives orders the request queue URL of catalog, its reply queue URL and SendMessage on catalog’s requests', () => {
    orders.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-orders-api',
      Environment: {
        Variables: Match.objectLike({
          REQUEST_QUEUE_URL_CATALOG: {
            'Fn::Join': [
              '',
              [
                `https://sqs.${REGION}.`,
                { Ref: 'AWS::URLSuffix' },
                `/${PLATFORM_ACCOUNT}/quanta-catalog-requests`,
              ],
            ],
          },
          REPLY_QUEUE_URL: {
            'Fn::Join': [
              '',
              [
                `https://sqs.${REGION}.`,
                { Ref: 'AWS::URLSuffix' },
                `/${PLATFORM_ACCOUNT}/quanta-orders-replies`,
              ],
            ],
          },
        }),
      },
    });
    orders.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ResourcesRepliesFunctionHandler') },
      EventSourceArn: partitionJoin(`:sqs:${REGION}:${PLATFORM_ACCOUNT}:quanta-orders-replies`),
    });
  });

  it('lets orders call only the catalog facade operations that name it, on catalog’s API resolved from its SSM parameter', () => {
    const policies = Object.values(
      orders.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ResourcesApiFunctionRole') }] },
      }),
    );
    const invoke = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string; Resource: unknown }[])
      .filter((s) => s.Action === 'execute-api:Invoke');
    expect(invoke).toHaveLength(1);
    const arn = JSON.stringify(invoke[0]?.Resource);
    // The API id is split out of the facade URL parameter: no wildcard API or stage.
    expect(arn).toContain(`:execute-api:${REGION}:${PLATFORM_ACCOUNT}:`);
    expect(arn).toContain('/v1/POST/ops/GetProducts');
    expect(arn).toContain('Fn::Split');
    expect(arn).not.toContain('*');
    orders.hasParameter('*', {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/quanta/catalog/facade-url',
    });
    catalog.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [
          Match.objectLike({
            Sid: 'AllowGetProductsCallers',
            Effect: 'Allow',
            Principal: { AWS: partitionJoin(`:iam::${PLATFORM_ACCOUNT}:root`) },
            Condition: { ArnEquals: { 'aws:PrincipalArn': ordersRoles } },
          }),
          Match.objectLike({
            Sid: 'DenyGetProductsOthers',
            Effect: 'Deny',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': ordersRoles } },
          }),
        ],
      },
    });
  });

  it('puts same-account subscription rules on the platform bus by name, into an inbox with its own DLQ', () => {
    orders.hasResourceProperties('AWS::Events::Rule', {
      Name: 'quanta-orders-user-registered',
      EventBusName: 'quanta-bus',
      EventPattern: { source: ['quanta.identity'], 'detail-type': ['UserRegistered'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesUserRegisteredInboxQueue'), 'Arn'] },
          DeadLetterConfig: {
            Arn: {
              'Fn::GetAtt': [
                Match.stringLikeRegexp('^ResourcesUserRegisteredInboxQueueDeadLetterQueue'),
                'Arn',
              ],
            },
          },
        }),
      ],
    });
    orders.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'quanta-orders-user-registered',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
    });
    orders.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'quanta-orders-user-registered-dlq' });
    orders.resourceCountIs('AWS::Events::EventBus', 0);
  });

  it('runs schedules with EventBridge Scheduler, with retries, an explicit input the local scheduler sends too, and a DLQ for undeliverable or failed runs', () => {
    orders.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'quanta-orders-expire-pending',
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesExpirerFunctionHandler'), 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      }),
    });
    const [schedule] = Object.values(orders.findResources('AWS::Scheduler::Schedule'));
    expect(JSON.parse(schedule?.Properties.Target.Input)).toEqual(
      scheduleInputOf('orders', 'expire-pending', {
        scheduleArn: '<aws.scheduler.schedule-arn>',
        scheduledTime: '<aws.scheduler.scheduled-time>',
        executionId: '<aws.scheduler.execution-id>',
        attemptNumber: '<aws.scheduler.attempt-number>',
      }),
    );
    orders.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ResourcesExpirerFunctionHandler') },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesExpirePendingScheduleDeadLetterQueue'), 'Arn'],
          },
        },
      },
    });
  });

  it('creates the manifest’s GSIs and grants queries on them by name', () => {
    orders.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'by-customer',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
    });
    orders.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ResourcesApiFunctionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['dynamodb:Query', 'dynamodb:Scan'],
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesTable'), 'Arn'] }, '/index/by-customer'],
              ],
            },
          },
        ]),
      },
    });
  });

  it('admits no role to identity’s GetUser, which lists orders as a caller, since orders does not call it', () => {
    template('identity').hasResourceProperties('AWS::ApiGateway::RestApi', {
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
});

describe('Manifest combinations that cannot be deployed', () => {
  it('fails synth when a quantum sends a request type its target does not handle', () => {
    const orders = testManifests.orders;
    if (orders === undefined) throw new Error('fixture missing');
    const manifests = {
      ...testManifests,
      orders: { ...orders, sends: [{ quantum: 'catalog', types: ['ReleaseStock'] }] },
    };

    expect(() =>
      buildTestApp({ quanta: { platform: account, orders: account, catalog: account } }, { manifests }),
    ).toThrow(/'orders' sends ReleaseStock to 'catalog', which handles only: ReserveStock/);
  });

  it('fails synth on a schedule that is not a whole number of minutes', () => {
    const orders = testManifests.orders;
    if (orders === undefined) throw new Error('fixture missing');
    const manifests = {
      ...testManifests,
      orders: { ...orders, schedules: [{ id: 'expire-pending', function: 'expirer', everySeconds: 90 }] },
    };

    expect(() =>
      buildTestApp({ quanta: { platform: account, orders: account, catalog: account } }, { manifests }),
    ).toThrow(/runs every 90 s; EventBridge Scheduler needs a whole number of minutes/);
  });

  it('fails synth when a facade target in another account has no region to name its parameter by', () => {
    expect(() =>
      buildTestApp({
        quanta: { platform: {}, orders: { account: '333333333333' }, catalog: { account: '444444444444' } },
      }),
    ).toThrow(
      /'orders' calls the facade of 'catalog', which is in another account or region; the registry must give/,
    );
  });
});
