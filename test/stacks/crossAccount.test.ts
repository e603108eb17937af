import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  at,
  buildTestApp,
  commerceManifests,
  IDENTITY_ACCOUNT,
  ORDERS_ACCOUNT,
  ORDERS_ROLE_STEMS,
  PLATFORM_ACCOUNT,
  REGION,
  roleArnOf,
  testManifests,
} from './quantaTestApp';

const partitionJoin = (tail: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, tail]] });
/** `arn:…:execute-api:<region>:<platform account>:<API id from the shared parameter><tail>`. */
const platformApiArn = (parameter: string, tail: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:execute-api:${REGION}:${PLATFORM_ACCOUNT}:`,
      { Ref: parameter },
      tail,
    ],
  ],
});
/** The names of the execution roles of every function in a template, sorted. */
const functionRolesOf = (t: ReturnType<ReturnType<typeof buildTestApp>['template']>) =>
  Object.values(t.findResources('AWS::Lambda::Function'))
    .map((f) => `${f.Properties?.FunctionName}-${REGION}`)
    .sort();

describe('Cross-account registry: platform, identity and orders+catalog in three accounts', () => {
  const { stacks, template } = buildTestApp({
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(IDENTITY_ACCOUNT),
      orders: at(ORDERS_ACCOUNT),
      catalog: at(ORDERS_ACCOUNT),
    },
  });
  const platform = template('platform');
  const identity = template('identity');
  const orders = template('orders');

  it('deploys each stack into its registry account and region', () => {
    expect(stacks.platform.account).toBe(PLATFORM_ACCOUNT);
    expect(stacks.quanta.get('identity')?.account).toBe(IDENTITY_ACCOUNT);
    expect(stacks.quanta.get('orders')?.account).toBe(ORDERS_ACCOUNT);
    expect(stacks.quanta.get('identity')?.region).toBe(REGION);
  });

  it('integrates identity’s api function in identity’s account by ARN', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: partitionJoin(`:lambda:${REGION}:${IDENTITY_ACCOUNT}:function:quanta-identity-api`),
    });
  });

  it('lets only the platform’s HTTP API invoke identity’s api function, its id read from the parameter the platform shares', () => {
    identity.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: platformApiArn('PlatformHttpApiIdParameter', '/*/*/identity/*'),
    });
    identity.hasParameter('PlatformHttpApiIdParameter', {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `arn:aws:ssm:${REGION}:${PLATFORM_ACCOUNT}:parameter/quanta/platform/http-api-id`,
    });
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/quanta/platform/http-api-id',
      Value: { Ref: Match.stringLikeRegexp('^HttpApi') },
      Tier: 'Advanced',
    });
    platform.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'quanta-http-api-id',
      AllowExternalPrincipals: true,
      Principals: [IDENTITY_ACCOUNT, ORDERS_ACCOUNT],
      ResourceArns: [Match.objectLike({})],
    });
  });

  it('lets identity’s relay put events on the platform bus in the platform account', () => {
    identity.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: partitionJoin(`:events:${REGION}:${PLATFORM_ACCOUNT}:event-bus/quanta-bus`),
          }),
        ]),
      },
    });
    identity.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-identity-outbox-relay',
      Environment: {
        Variables: Match.objectLike({
          EVENT_BUS_NAME: partitionJoin(`:events:${REGION}:${PLATFORM_ACCOUNT}:event-bus/quanta-bus`),
        }),
      },
    });
  });

  it('admits each publisher account to the platform bus with its own source and its outbox relay’s role only', () => {
    for (const [quantum, account] of [
      ['identity', IDENTITY_ACCOUNT],
      ['orders', ORDERS_ACCOUNT],
    ] as const) {
      platform.hasResourceProperties('AWS::Events::EventBusPolicy', {
        Statement: Match.objectLike({
          Principal: { AWS: partitionJoin(`:iam::${account}:root`) },
          Condition: {
            StringEquals: { 'events:source': `quanta.${quantum}` },
            ArnEquals: { 'aws:PrincipalArn': [roleArnOf(account, `quanta-${quantum}-outbox-relay`)] },
          },
        }),
      });
    }
  });

  it('forwards what orders subscribes to with one rule to orders’ bus, through a role and with a DLQ', () => {
    platform.hasResourceProperties('AWS::Events::Rule', {
      Name: 'quanta-forward-orders',
      EventBusName: { Ref: Match.stringLikeRegexp('^EventBus') },
      EventPattern: {
        $or: [
          { source: ['quanta.catalog'], 'detail-type': ['ProductRenamed'] },
          { source: ['quanta.identity'], 'detail-type': ['UserRegistered'] },
        ],
      },
      Targets: [
        Match.objectLike({
          Arn: partitionJoin(`:events:${REGION}:${ORDERS_ACCOUNT}:event-bus/quanta-orders-bus`),
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventBusForwardOrdersRole'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventBusForwardOrdersDeadLetterQueue'), 'Arn'] },
          },
        }),
      ],
    });
    platform.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `quanta-platform-forward-orders-${REGION}`,
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
      }),
    });
    platform.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^EventBusForwardOrdersRole') }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'events:PutEvents',
            Effect: 'Allow',
            Resource: partitionJoin(`:events:${REGION}:${ORDERS_ACCOUNT}:event-bus/quanta-orders-bus`),
          },
        ],
      },
    });
    platform.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'quanta-platform-forward-orders-dlq' });
  });

  it('gives orders its own bus that admits PutEvents only from the platform’s forwarding role for it, and puts its rules there', () => {
    orders.hasResourceProperties('AWS::Events::EventBus', { Name: 'quanta-orders-bus' });
    orders.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: partitionJoin(`:iam::${PLATFORM_ACCOUNT}:root`) },
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn': roleArnOf(PLATFORM_ACCOUNT, 'quanta-platform-forward-orders'),
          },
        },
      },
    });
    for (const name of ['quanta-orders-product-renamed', 'quanta-orders-user-registered']) {
      orders.hasResourceProperties('AWS::Events::Rule', {
        Name: name,
        EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      });
    }
  });

  it('gives identity no bus and the platform no forwarding rule for it, since it subscribes to nothing', () => {
    identity.resourceCountIs('AWS::Events::EventBus', 0);
    const names = Object.values(platform.findResources('AWS::Events::Rule')).map(
      (r) => r.Properties.Name as string,
    );
    expect(names).not.toContain('quanta-forward-identity');
  });

  it('admits orders’ account and its functions’ roles to send to catalog’s request queue in the platform account', () => {
    platform.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('^RequestReplyQueuesCatalogRequests') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowRegisteredSenders',
            Principal: { AWS: partitionJoin(`:iam::${ORDERS_ACCOUNT}:root`) },
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': ORDERS_ROLE_STEMS.map((stem) => roleArnOf(ORDERS_ACCOUNT, stem)),
              },
            },
          }),
          Match.objectLike({
            Sid: 'AllowConsumer',
            Principal: { AWS: partitionJoin(`:iam::${ORDERS_ACCOUNT}:root`) },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': roleArnOf(ORDERS_ACCOUNT, 'quanta-catalog-requests') },
            },
          }),
        ]),
      },
    });
  });

  it('admits no one to identity’s GetUser and shares its URL with no account, since orders, though listed, does not call it', () => {
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
    identity.resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  it('creates the account-wide API Gateway logging role once per account and region', () => {
    platform.resourceCountIs('AWS::ApiGateway::Account', 1);
    identity.resourceCountIs('AWS::ApiGateway::Account', 1);
    orders.resourceCountIs('AWS::ApiGateway::Account', 1);
    template('catalog').resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

describe('Cross-region registry', () => {
  it('treats a quantum in the platform’s account but another region as remote: own bus and a forwarding rule', () => {
    const orders = testManifests.orders;
    if (orders === undefined) throw new Error('fixture missing');
    // Only events: request/reply queues cannot be consumed across regions, nor the platform API's id read.
    const { api: _api, ...functions } = orders.functions;
    const eventsOnly = {
      ...orders,
      functions,
      routes: undefined,
      sends: undefined,
      replyHandler: undefined,
      calls: undefined,
    };
    const { template } = buildTestApp(
      {
        quanta: {
          platform: at(PLATFORM_ACCOUNT),
          orders: { account: PLATFORM_ACCOUNT, region: 'eu-central-1' },
        },
        'quanta:manageApiGatewayAccount': false,
      },
      { manifests: { ...testManifests, orders: eventsOnly } },
    );

    template('platform').hasResourceProperties('AWS::Events::Rule', {
      Name: 'quanta-forward-orders',
      Targets: [
        Match.objectLike({
          Arn: partitionJoin(`:events:eu-central-1:${PLATFORM_ACCOUNT}:event-bus/quanta-orders-bus`),
        }),
      ],
    });
    template('orders').hasResourceProperties('AWS::Events::EventBus', { Name: 'quanta-orders-bus' });
    template('orders').resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('fails synth when a quantum behind the platform HTTP API is outside the platform’s region', () => {
    const orders = testManifests.orders;
    if (orders === undefined) throw new Error('fixture missing');
    const withApi = { ...orders, sends: undefined, replyHandler: undefined, calls: undefined };
    expect(() =>
      buildTestApp(
        {
          quanta: {
            platform: at(PLATFORM_ACCOUNT),
            orders: { account: PLATFORM_ACCOUNT, region: 'eu-central-1' },
          },
        },
        { manifests: { ...testManifests, orders: withApi } },
      ),
    ).toThrow(
      /'orders' serves routes of the platform HTTP API but is registered in region 'eu-central-1', not the platform's 'eu-west-1'/,
    );
  });

  it('fails synth when a quantum with request/reply queues is outside the platform’s region', () => {
    expect(() =>
      buildTestApp({
        quanta: {
          platform: at(PLATFORM_ACCOUNT),
          orders: { account: PLATFORM_ACCOUNT, region: 'eu-central-1' },
          catalog: at(PLATFORM_ACCOUNT),
        },
      }),
    ).toThrow(/Lambda cannot consume an SQS queue in another region/);
  });
});

describe('Every business quantum in its own account: identity, catalog, payments and orders', () => {
  const CATALOG_ACCOUNT = '444444444444';
  const PAYMENTS_ACCOUNT = '555555555555';
  const { template } = buildTestApp(
    {
      quanta: {
        platform: at(PLATFORM_ACCOUNT),
        identity: at(IDENTITY_ACCOUNT),
        catalog: at(CATALOG_ACCOUNT),
        payments: at(PAYMENTS_ACCOUNT),
        orders: at(ORDERS_ACCOUNT),
      },
    },
    { manifests: commerceManifests() },
  );
  const catalog = template('catalog');
  const orders = template('orders');
  const platform = template('platform');

  it('shares catalog’s facade URL parameter with orders’ account through AWS RAM (advanced tier)', () => {
    catalog.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/quanta/catalog/facade-url',
      Tier: 'Advanced',
    });
    catalog.hasResourceProperties('AWS::RAM::ResourceShare', {
      AllowExternalPrincipals: true,
      Principals: [ORDERS_ACCOUNT],
    });
  });

  it('has orders read catalog’s facade URL by the shared parameter’s ARN', () => {
    const parameters = orders.toJSON().Parameters as Record<string, { Type: string; Default?: string }>;
    expect(Object.values(parameters)).toContainEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `arn:aws:ssm:${REGION}:${CATALOG_ACCOUNT}:parameter/quanta/catalog/facade-url`,
    });
  });

  it('grants orders execute-api:Invoke on GetProducts in catalog’s account only', () => {
    const statements = Object.values(orders.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } })
          .Properties.PolicyDocument.Statement,
    );
    const invokes = statements.filter((s) => s.Action === 'execute-api:Invoke');
    expect(invokes.length).toBeGreaterThan(0);
    for (const s of invokes) {
      expect(JSON.stringify(s.Resource)).toContain(`:execute-api:${REGION}:${CATALOG_ACCOUNT}:`);
      expect(JSON.stringify(s.Resource)).toContain('/v1/POST/ops/GetProducts');
    }
  });

  it('admits exactly the roles of orders’ functions, in orders’ account, on catalog’s facade resource policy', () => {
    const [api] = Object.values(catalog.findResources('AWS::ApiGateway::RestApi'));
    const allow = (
      (api?.Properties.Policy.Statement ?? []) as { Sid: string; Principal: unknown; Condition: unknown }[]
    ).find((s) => s.Sid === 'AllowGetProductsCallers');
    const roles = (JSON.stringify(allow?.Condition).match(/:iam::\d+:role\/[\w-]+/g) ?? []).sort();

    expect(allow?.Principal).toEqual({ AWS: partitionJoin(`:iam::${ORDERS_ACCOUNT}:root`) });
    expect(Object.keys(allow?.Condition ?? {})).toEqual(['ArnEquals']);
    expect(roles).toEqual(functionRolesOf(orders).map((name) => `:iam::${ORDERS_ACCOUNT}:role/${name}`));
  });

  it('admits orders’ roles to catalog’s and payments’ request queues, hosted by the platform, and each handler to reply', () => {
    const text = JSON.stringify(platform.findResources('AWS::SQS::QueuePolicy'));
    expect(text).toContain(`:iam::${ORDERS_ACCOUNT}:role/quanta-orders-api-${REGION}`);
    expect(text).toContain(`:iam::${CATALOG_ACCOUNT}:role/quanta-catalog-requests-${REGION}`);
    expect(text).toContain(`:iam::${PAYMENTS_ACCOUNT}:role/quanta-payments-requests-${REGION}`);
    expect(text).not.toContain(`:iam::${CATALOG_ACCOUNT}:role/quanta-catalog-api-`);
  });

  it('forwards events to each remote subscriber’s own bus', () => {
    orders.hasResourceProperties('AWS::Events::EventBus', { Name: 'quanta-orders-bus' });
    platform.hasResourceProperties('AWS::Events::Rule', { Name: 'quanta-forward-orders' });
  });
});

describe('Chat in its own account, the rest of the business in others', () => {
  const CHAT_ACCOUNT = '666666666666';
  const { template } = buildTestApp(
    {
      quanta: {
        platform: at(PLATFORM_ACCOUNT),
        identity: at(IDENTITY_ACCOUNT),
        catalog: at(ORDERS_ACCOUNT),
        payments: at(ORDERS_ACCOUNT),
        orders: at(ORDERS_ACCOUNT),
        chat: at(CHAT_ACCOUNT),
      },
    },
    { manifests: commerceManifests() },
  );
  const chat = template('chat');
  const platform = template('platform');
  const webSocketRoutes = ['$connect', '$disconnect', '$default', 'join', 'leave', 'send'];

  it('integrates every WebSocket route with chat’s ws function in chat’s account by ARN', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: Match.stringLikeRegexp('^WebSocketApi') },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: Match.objectLike({
        'Fn::Join': [
          '',
          Match.arrayWith([`:lambda:${REGION}:${CHAT_ACCOUNT}:function:quanta-chat-ws/invocations`]),
        ],
      }),
    });
    const routeKeys = Object.values(platform.findResources('AWS::ApiGatewayV2::Route'))
      .filter((r) => JSON.stringify(r.Properties.ApiId).includes('WebSocketApi'))
      .map((r) => r.Properties.RouteKey as string);
    expect(routeKeys.sort()).toEqual([...webSocketRoutes].sort());
  });

  it('lets only the platform’s WebSocket API invoke chat’s ws function, one permission per route', () => {
    for (const routeKey of webSocketRoutes) {
      chat.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResourcesWsFunctionHandler'), 'Arn'] },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: platformApiArn('PlatformWebSocketApiIdParameter', `/*/${routeKey}`),
      });
    }
    chat.hasParameter('PlatformWebSocketApiIdParameter', {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `arn:aws:ssm:${REGION}:${PLATFORM_ACCOUNT}:parameter/quanta/platform/websocket-api-id`,
    });
  });

  it('shares the WebSocket URL and id parameters with chat’s account through AWS RAM, and chat reads the URL by ARN', () => {
    platform.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'quanta-websocket-url',
      AllowExternalPrincipals: true,
      Principals: [CHAT_ACCOUNT],
      ResourceArns: [
        partitionJoin2(`:ssm:${REGION}:${PLATFORM_ACCOUNT}:parameter`, 'WebSocketApiUrlParameter'),
        partitionJoin2(`:ssm:${REGION}:${PLATFORM_ACCOUNT}:parameter`, 'WebSocketApiIdParameter'),
      ],
    });
    const parameters = chat.toJSON().Parameters as Record<string, { Type: string; Default?: string }>;
    expect(Object.values(parameters)).toContainEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `arn:aws:ssm:${REGION}:${PLATFORM_ACCOUNT}:parameter/quanta/platform/websocket-url`,
    });
  });

  it('scopes execute-api:ManageConnections to the live stage’s @connections of the platform account’s API', () => {
    const statements = Object.values(chat.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const manage = statements.filter((s) => s.Action === 'execute-api:ManageConnections');
    expect(manage.length).toBeGreaterThan(0);
    for (const s of manage) {
      const resource = JSON.stringify(s.Resource);
      expect(resource).toContain(`:execute-api:${REGION}:${PLATFORM_ACCOUNT}:`);
      expect(resource).toContain('/live/*/@connections/*');
      expect(resource).not.toMatch(/:\*\//);
    }
  });

  it('forwards the order and session events chat subscribes to to chat’s own bus, which admits only the platform’s forwarding role', () => {
    platform.hasResourceProperties('AWS::Events::Rule', {
      Name: 'quanta-forward-chat',
      EventPattern: {
        $or: Match.arrayWith([
          { source: ['quanta.orders'], 'detail-type': ['OrderConfirmed', 'OrderCancelled'] },
          { source: ['quanta.identity'], 'detail-type': ['SessionRevoked'] },
        ]),
      },
      Targets: [
        Match.objectLike({
          Arn: partitionJoin(`:events:${REGION}:${CHAT_ACCOUNT}:event-bus/quanta-chat-bus`),
        }),
      ],
    });
    chat.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Principal: { AWS: partitionJoin(`:iam::${PLATFORM_ACCOUNT}:root`) },
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': roleArnOf(PLATFORM_ACCOUNT, 'quanta-platform-forward-chat') },
        },
      }),
    });
  });

  it('admits chat’s relay to the platform bus with source quanta.chat from its own role only', () => {
    platform.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Principal: { AWS: partitionJoin(`:iam::${CHAT_ACCOUNT}:root`) },
        Condition: {
          StringEquals: { 'events:source': 'quanta.chat' },
          ArnEquals: { 'aws:PrincipalArn': [roleArnOf(CHAT_ACCOUNT, 'quanta-chat-outbox-relay')] },
        },
      }),
    });
  });

  it('routes chat’s HTTP API paths to chat’s api function in chat’s account', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: Match.stringLikeRegexp('^HttpApi') },
      IntegrationUri: partitionJoin(`:lambda:${REGION}:${CHAT_ACCOUNT}:function:quanta-chat-api`),
    });
  });
});

/** `arn:<partition><tail><Ref logicalIdPrefix…>`: an ARN ending in a resource's Ref. */
function partitionJoin2(tail: string, logicalIdPrefix: string): unknown {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, tail, { Ref: Match.stringLikeRegexp(`^${logicalIdPrefix}`) }],
    ],
  };
}

interface Statement {
  readonly Action: unknown;
  readonly Resource: unknown;
}
